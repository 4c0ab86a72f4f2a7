"""The one write the dashboards make: a service lead setting the targets drawn as lines."""

from django.db import transaction

from outcomes.models import OutcomeSettings
from talkingmoves.audit.actions import AccessAction
from talkingmoves.audit.services import access_log_write


def outcome_targets_update(
    *,
    service_id,
    by,
    recovery_target: int,
    reliable_recovery_target: int,
    reliable_improvement_target: int,
) -> OutcomeSettings:
    with transaction.atomic():
        settings_, _ = OutcomeSettings.objects.select_for_update().get_or_create(
            service_id=service_id
        )
        settings_.recovery_target = recovery_target
        settings_.reliable_recovery_target = reliable_recovery_target
        settings_.reliable_improvement_target = reliable_improvement_target
        settings_.full_clean()
        settings_.save(
            update_fields=[
                "recovery_target",
                "reliable_recovery_target",
                "reliable_improvement_target",
            ]
        )
        access_log_write(actor=by, action=AccessAction.UPDATE, obj=settings_)
    return settings_
