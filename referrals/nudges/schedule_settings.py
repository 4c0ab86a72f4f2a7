"""A service lead's changes to the message schedule."""

from django.db import transaction

from referrals.nudges.hooks import service_user_messages_blocker
from referrals.nudges.messages import AUDIENCE_SERVICE_USER, TEMPLATES
from referrals.nudges.models import NudgeSetting


class ScheduleError(Exception):
    """A schedule the service may not have yet, with a message fit to show."""


@transaction.atomic
def nudge_settings_save(
    *, service, by, values: dict[str, tuple[bool, int | None, str]]
) -> list[NudgeSetting]:
    """Save each configurable message's on/off, day and channel for one service. A day of
    None keeps the message's default (messages sent when something happens have no day).
    Messages to service users can only be on once the service has a duty contact."""
    to_service_users_on = [
        key
        for key, (enabled, _, _) in values.items()
        if enabled and TEMPLATES[key].audience == AUDIENCE_SERVICE_USER
    ]
    blocker = service_user_messages_blocker(service.pk) if to_service_users_on else ""
    if blocker:
        raise ScheduleError(blocker)
    saved = []
    for key, (enabled, offset_days, channel) in values.items():
        template = TEMPLATES[key]
        if not template.configurable:
            raise ValueError(f"{key} cannot be changed by a service")
        setting = NudgeSetting.objects.filter(service=service, template=key).first()
        setting = setting or NudgeSetting(service=service, template=key)
        setting.enabled = enabled
        setting.offset_days = template.offset_days if offset_days is None else offset_days
        setting.channel = channel
        setting.updated_by = by
        setting.full_clean()
        setting.save()
        saved.append(setting)
    return saved
