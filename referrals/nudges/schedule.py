"""When a nudge falls due: days counted from the referral, working days, quiet hours and
one message a day. Times are Europe/London wall-clock times."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from referrals.nudges.messages import FROM_FIRST_SESSION, TEMPLATES, MessageTemplate
from referrals.nudges.models import NudgeSetting
from talkingmoves.core.bank_holidays import is_bank_holiday

SEND_AT = time(10, 0)  # day-N messages go out mid-morning
QUIET_FROM = time(20, 0)  # no text messages from 20:00 ...
QUIET_UNTIL = time(8, 0)  # ... until 08:00


def _local(moment: datetime) -> datetime:
    return timezone.localtime(moment)


def at_local(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


def add_working_days(day: date, days: int) -> date:
    """Monday to Friday, England and Wales bank holidays skipped (the same calendar as risk
    alerts, talkingmoves/core/bank_holidays.py)."""
    while days > 0:
        day += timedelta(days=1)
        if day.weekday() < 5 and not is_bank_holiday(day):
            days -= 1
    return day


def due_at(template: MessageTemplate, *, anchor: datetime, offset_days: int) -> datetime:
    """The moment a day-N message is due, from the moment its day counts from."""
    start = _local(anchor).date()
    if template.counts_from == FROM_FIRST_SESSION:
        return at_local(start - timedelta(days=offset_days), SEND_AT)
    if offset_days == 0:
        return anchor
    if template.working_days:
        return at_local(add_working_days(start, offset_days), SEND_AT)
    return at_local(start + timedelta(days=offset_days), SEND_AT)


def after_quiet_hours(moment: datetime) -> datetime | None:
    """The next 08:00 if `moment` falls in quiet hours, else None."""
    local = _local(moment)
    if local.time() >= QUIET_FROM:
        return at_local(local.date() + timedelta(days=1), QUIET_UNTIL)
    if local.time() < QUIET_UNTIL:
        return at_local(local.date(), QUIET_UNTIL)
    return None


def next_day(moment: datetime) -> datetime:
    return at_local(_local(moment).date() + timedelta(days=1), SEND_AT)


def effective_settings(service_id, *, rows=None) -> dict[str, tuple[bool, int, str]]:
    """Each message's (enabled, offset_days, channel) for a service: its changes over the
    defaults. Channel "" means the service user's preferred channel. `rows`: the service's
    NudgeSetting rows, when the caller has them already."""
    result = {key: (t.enabled, t.offset_days, "") for key, t in TEMPLATES.items()}
    if rows is None:
        rows = NudgeSetting.objects.filter(service_id=service_id)
    for setting in rows:
        if setting.template in TEMPLATES and TEMPLATES[setting.template].configurable:
            result[setting.template] = (setting.enabled, setting.offset_days, setting.channel)
    return result
