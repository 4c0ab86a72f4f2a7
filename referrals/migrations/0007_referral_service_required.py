import django.db.models.deletion
from django.db import migrations, models


# Separate from 0006: PostgreSQL will not alter a table in the transaction that updated its
# rows (the foreign keys' deferred checks are still pending).
class Migration(migrations.Migration):
    dependencies = [("referrals", "0006_referral_service_and_milestones")]

    operations = [
        migrations.AlterField(
            model_name="referral",
            name="service",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="accounts.organisation",
            ),
        ),
        migrations.AddIndex(
            model_name="referral",
            index=models.Index(fields=["service", "sent_at"], name="referral_service_sent"),
        ),
        migrations.AddIndex(
            model_name="referral",
            index=models.Index(fields=["service", "created_at"], name="referral_service_created"),
        ),
    ]
