"""The message facts' day count (ADR 018) reads its index and no message.

Each message that is sent, or whose delivery Notify reports, recounts its day for the
service. The count found that day's messages by `nudge_fact_service_sent` and then read
each one's heap page for its status and id: at the bench's scale 10, 3,248 uncached pages
and 416 ms for a day of 3,710 messages. The index now carries both, so the count reads index
pages only: 33 pages for the messages, and about 20 ms for the day (docs/performance.md,
stop 33). PostgreSQL only, as the facts are. The new index is built CONCURRENTLY under
another name and then takes the old one's place, so the release step never holds the
messages' write lock while the previous release serves (docs/deploy.md)."""

from django.db import migrations

COLUMNS = "(service_id, sent_at)"
WHERE = "WHERE audience = 'service_user'"
NEW = f"{COLUMNS} INCLUDE (status, id) {WHERE}"
OLD = f"{COLUMNS} {WHERE}"  # migration 0011's


def _swap(schema_editor, definition: str) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in (
        "DROP INDEX CONCURRENTLY IF EXISTS nudge_fact_service_sent_new",  # a failed try's
        f"CREATE INDEX CONCURRENTLY nudge_fact_service_sent_new ON nudges_nudge {definition}",
        "DROP INDEX CONCURRENTLY IF EXISTS nudge_fact_service_sent",
        "ALTER INDEX nudge_fact_service_sent_new RENAME TO nudge_fact_service_sent",
    ):
        schema_editor.execute(sql)


def forward(apps, schema_editor):
    _swap(schema_editor, NEW)


def backward(apps, schema_editor):
    _swap(schema_editor, OLD)


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run inside a transaction

    dependencies = [
        ("outcomes", "0019_referral_day_counts_read_indexes_only"),
    ]

    operations = [migrations.RunPython(forward, backward)]
