from django.db import migrations, models

# The first attended session on the provider's register, for the rows already there.
BACKFILL = """
UPDATE referrals_referral r SET provider_attended_on = a.first FROM (
  SELECT referral_id, MIN(session_date) AS first FROM referrals_attendance
  WHERE status = 'attended' AND source = 'provider' GROUP BY referral_id
) a WHERE a.referral_id = r.id
"""


def backfill(apps, schema_editor):
    # PostgreSQL's UPDATE ... FROM; a SQLite demo database is seeded after migrating, through
    # the services that keep the column.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKFILL)


class Migration(migrations.Migration):
    dependencies = [("referrals", "0008_nudges_move_to_their_own_app")]

    operations = [
        migrations.AddField(
            model_name="referral",
            name="provider_attended_on",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="referral",
            index=models.Index(
                fields=["service", "provider_attended_on"], name="referral_service_registered"
            ),
        ),
    ]
