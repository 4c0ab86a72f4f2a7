"""The two episode indexes the facts' day recount reads carry the columns it counts, so a
send's recount reads index pages only (docs/performance.md, stop 33).

On PostgreSQL each new index is built CONCURRENTLY under a new name, the old one dropped
CONCURRENTLY and the new one renamed, so the release step never holds the episodes' write
lock while the previous release serves (docs/deploy.md). SQLite (the demo) swaps them
plainly."""

from django.db import migrations, models

ENDED = models.Index(
    fields=["service", "ended_on"],
    include=[
        "activity_group", "step", "finished_treatment", "caseness_at_start", "recovered",
        "reliably_recovered", "reliably_improved", "reliably_deteriorated", "phq9_change",
        "gad7_change", "last_phq9", "last_gad7",
    ],
    name="episode_service_ended",
)  # fmt: skip
RECEIVED = models.Index(
    fields=["service", "referral_received_on"],
    include=["activity_group", "step"],
    name="episode_service_received",
)
OLD_ENDED = models.Index(fields=["service", "ended_on"], name="episode_service_ended")
OLD_RECEIVED = models.Index(
    fields=["service", "referral_received_on"], name="episode_service_received"
)


def _swap(apps, schema_editor, pairs):
    episode = apps.get_model("outcomes", "Episode")
    for old, new in pairs:
        if schema_editor.connection.vendor != "postgresql":
            schema_editor.remove_index(episode, old)
            schema_editor.add_index(episode, new)
            continue
        building = new.clone()
        building.name = f"{new.name}_new"
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {building.name}")  # a retry
        schema_editor.execute(building.create_sql(episode, schema_editor, concurrently=True))
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {old.name}")
        schema_editor.execute(f"ALTER INDEX {building.name} RENAME TO {new.name}")


def forward(apps, schema_editor):
    _swap(apps, schema_editor, [(OLD_ENDED, ENDED), (OLD_RECEIVED, RECEIVED)])


def backward(apps, schema_editor):
    _swap(apps, schema_editor, [(ENDED, OLD_ENDED), (RECEIVED, OLD_RECEIVED)])


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run inside a transaction

    dependencies = [
        ('outcomes', '0017_referral_month_fact_activity_index'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveIndex(model_name='episode', name='episode_service_ended'),
                migrations.RemoveIndex(model_name='episode', name='episode_service_received'),
                migrations.AddIndex(model_name='episode', index=ENDED),
                migrations.AddIndex(model_name='episode', index=RECEIVED),
            ],
            database_operations=[migrations.RunPython(forward, backward)],
        ),
    ]
