"""The nudge models now belong to the nudges app (referrals/nudges/migrations/0001): drop
them from this app's migration state. The tables were renamed there; nothing changes here."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('referrals', '0007_referral_service_required'),
        ('nudges', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='nudge',
                    name='recipient_user',
                ),
                migrations.RemoveField(
                    model_name='nudge',
                    name='referral',
                ),
                migrations.RemoveField(
                    model_name='nudge',
                    name='service',
                ),
                migrations.RemoveField(
                    model_name='nudge',
                    name='service_user',
                ),
                migrations.RemoveField(
                    model_name='nudgeresponse',
                    name='nudge',
                ),
                migrations.RemoveField(
                    model_name='nudgesetting',
                    name='service',
                ),
                migrations.RemoveField(
                    model_name='nudgesetting',
                    name='updated_by',
                ),
                migrations.DeleteModel(
                    name='CallRequest',
                ),
                migrations.DeleteModel(
                    name='Nudge',
                ),
                migrations.DeleteModel(
                    name='NudgeResponse',
                ),
                migrations.DeleteModel(
                    name='NudgeSetting',
                ),
            ],
        ),
    ]
