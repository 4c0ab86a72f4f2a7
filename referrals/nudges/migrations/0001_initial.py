"""The nudge outbox becomes its own app. Its four tables already exist, made by
referrals 0004: rename them to this app's names and take the models over in the migration
state, so an existing database upgrades in place with every row kept. referrals 0008 then
drops the models from the referrals state (no database change)."""

import uuid

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def content_types_follow(apps, schema_editor):
    """Keep permissions and admin history attached: the content types move with the models."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="referrals", model__in=MODELS).update(app_label="nudges")


def content_types_return(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="nudges", model__in=MODELS).update(app_label="referrals")


MODELS = ["nudge", "nudgeresponse", "nudgesetting", "callrequest"]


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('accounts', '0001_initial'),
        ('referrals', '0007_referral_service_required'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    "ALTER TABLE referrals_nudge RENAME TO nudges_nudge",
                    reverse_sql="ALTER TABLE nudges_nudge RENAME TO referrals_nudge",
                ),
                migrations.RunSQL(
                    "ALTER TABLE referrals_nudgeresponse RENAME TO nudges_nudgeresponse",
                    reverse_sql="ALTER TABLE nudges_nudgeresponse RENAME TO referrals_nudgeresponse",
                ),
                migrations.RunSQL(
                    "ALTER TABLE referrals_nudgesetting RENAME TO nudges_nudgesetting",
                    reverse_sql="ALTER TABLE nudges_nudgesetting RENAME TO referrals_nudgesetting",
                ),
                migrations.RunSQL(
                    "ALTER TABLE referrals_callrequest RENAME TO nudges_callrequest",
                    reverse_sql="ALTER TABLE nudges_callrequest RENAME TO referrals_callrequest",
                ),
            ],
            state_operations=[
                migrations.CreateModel(
                    name='Nudge',
                    fields=[
                        ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                        ('audience', models.CharField(choices=[('service_user', 'Service user'), ('provider', 'Provider'), ('clinician', 'Clinician')], max_length=16)),
                        ('template', models.CharField(max_length=40)),
                        ('recipient_email', models.EmailField(blank=True, max_length=254)),
                        ('link_path', models.CharField(blank=True, max_length=300)),
                        ('due_at', models.DateTimeField()),
                        ('status', models.CharField(choices=[('scheduled', 'Scheduled'), ('sending', 'Sending'), ('sent', 'Sent'), ('delivered', 'Delivered'), ('failed', 'Failed'), ('skipped', 'Skipped'), ('cancelled', 'Cancelled')], default='scheduled', max_length=16)),
                        ('channel', models.CharField(blank=True, choices=[('email', 'Email'), ('sms', 'Text message')], max_length=8)),
                        ('sent_to', models.CharField(blank=True, max_length=320)),
                        ('attempts', models.PositiveSmallIntegerField(default=0)),
                        ('last_error', models.CharField(blank=True, max_length=300)),
                        ('skip_reason', models.CharField(blank=True, choices=[('no_consent', 'No consent for this channel'), ('opted_out', 'Asked to stop messages'), ('no_contact', 'Missing or invalid contact details'), ('referral_ended', 'The referral has ended'), ('turned_off', 'Turned off for this service'), ('already_done', 'No longer needed'), ('record_erased', 'Record erased')], max_length=20)),
                        ('deferred_reason', models.CharField(blank=True, max_length=100)),
                        ('possible_duplicate', models.BooleanField(default=False)),
                        ('claimed_at', models.DateTimeField(blank=True, null=True)),
                        ('lease_until', models.DateTimeField(blank=True, null=True)),
                        ('sent_at', models.DateTimeField(blank=True, null=True)),
                        ('delivered_at', models.DateTimeField(blank=True, null=True)),
                        ('gateway_id', models.CharField(blank=True, max_length=100)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('updated_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('recipient_user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('referral', models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='nudges', to='referrals.referral')),
                        ('service', models.ForeignKey(db_index=False, limit_choices_to={'kind': 'talking_therapies'}, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='accounts.organisation')),
                        ('service_user', models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='nudges', to='referrals.serviceuser')),
                    ],
                    options={
                        'ordering': ['due_at'],
                    },
                ),
                migrations.CreateModel(
                    name='CallRequest',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('done_at', models.DateTimeField(blank=True, null=True)),
                        ('done_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('service_user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='call_requests', to='referrals.serviceuser')),
                        ('nudge', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='call_request', to='nudges.nudge')),
                    ],
                    options={
                        'ordering': ['-created_at'],
                    },
                ),
                migrations.CreateModel(
                    name='NudgeResponse',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('answer', models.CharField(choices=[('went', 'I went'), ('not_yet', 'Not yet'), ('call_me', "I'd like someone to call me"), ('stop', 'Stop these messages')], max_length=16)),
                        ('answered_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('nudge', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='responses', to='nudges.nudge')),
                    ],
                    options={
                        'ordering': ['answered_at'],
                    },
                ),
                migrations.CreateModel(
                    name='NudgeSetting',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('template', models.CharField(max_length=40)),
                        ('enabled', models.BooleanField()),
                        ('offset_days', models.PositiveSmallIntegerField()),
                        ('channel', models.CharField(blank=True, choices=[('email', 'Email'), ('sms', 'Text message')], max_length=8)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('service', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='accounts.organisation')),
                        ('updated_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                ),
                migrations.AddIndex(
                    model_name='nudge',
                    index=models.Index(condition=models.Q(('status', 'scheduled')), fields=['due_at'], name='nudge_due'),
                ),
                migrations.AddIndex(
                    model_name='nudge',
                    index=models.Index(condition=models.Q(('status', 'sending')), fields=['claimed_at'], name='nudge_stalled'),
                ),
                migrations.AddIndex(
                    model_name='nudge',
                    index=models.Index(fields=['service_user', '-due_at'], name='nudge_by_service_user'),
                ),
                migrations.AddIndex(
                    model_name='nudge',
                    index=models.Index(fields=['referral', 'status'], name='nudge_by_referral'),
                ),
                migrations.AddIndex(
                    model_name='nudge',
                    index=models.Index(fields=['service', 'status', 'template'], name='nudge_by_service'),
                ),
                migrations.AddConstraint(
                    model_name='nudge',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'skipped'), _negated=True), models.Q(('skip_reason', ''), _negated=True), _connector='OR'), name='nudge_skip_has_reason'),
                ),
                migrations.AddConstraint(
                    model_name='nudge',
                    constraint=models.CheckConstraint(condition=models.Q(('status__in', ['scheduled', 'sending', 'sent', 'delivered', 'failed', 'skipped', 'cancelled'])), name='nudge_status_valid'),
                ),
                migrations.AddIndex(
                    model_name='callrequest',
                    index=models.Index(condition=models.Q(('done_at__isnull', True)), fields=['service_user'], name='open_call_request'),
                ),
                migrations.AddConstraint(
                    model_name='nudgeresponse',
                    constraint=models.UniqueConstraint(fields=('nudge', 'answer'), name='one_answer_per_nudge'),
                ),
                migrations.AddConstraint(
                    model_name='nudgesetting',
                    constraint=models.UniqueConstraint(fields=('service', 'template'), name='one_setting_per_template'),
                ),
            ],
        ),
        migrations.RunPython(content_types_follow, content_types_return),
    ]
