import django.db.models.deletion
from django.db import migrations, models

# Plain SQL that PostgreSQL and SQLite both run. Accepted: the first move to accepted in the
# history, or for rows that got past acceptance without one (bulk-loaded data), their answer.
BACKFILL = [
    """
    UPDATE referrals_referral SET service_id = (
        SELECT su.service_id FROM referrals_serviceuser su
        WHERE su.id = referrals_referral.service_user_id
    )
    """,
    """
    UPDATE referrals_referral SET accepted_at = COALESCE(
        (SELECT MIN(e.at) FROM referrals_referralevent e
         WHERE e.referral_id = referrals_referral.id AND e.to_status = 'accepted'),
        CASE WHEN status IN ('accepted', 'attending', 'completed', 'dropped_out')
             THEN COALESCE(answered_at, sent_at) END
    )
    """,
    """
    UPDATE referrals_referral SET first_attended_on = (
        SELECT MIN(a.session_date) FROM referrals_attendance a
        WHERE a.referral_id = referrals_referral.id AND a.status = 'attended'
    )
    """,
]


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("referrals", "0005_nudge_fewer_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="referral",
            name="service",
            field=models.ForeignKey(
                null=True,
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="accounts.organisation",
            ),
        ),
        migrations.AddField(
            model_name="referral",
            name="accepted_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="referral",
            name="first_attended_on",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop),
    ]
