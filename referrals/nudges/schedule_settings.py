"""A service lead's changes to the message schedule."""

from django.db import transaction

from referrals.nudges.messages import TEMPLATES
from referrals.nudges.models import NudgeSetting


@transaction.atomic
def nudge_settings_save(
    *, service, by, values: dict[str, tuple[bool, int | None, str]]
) -> list[NudgeSetting]:
    """Save each configurable message's on/off, day and channel for one service. A day of
    None keeps the message's default (messages sent when something happens have no day)."""
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
