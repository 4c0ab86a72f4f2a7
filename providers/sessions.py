"""When an activity's sessions are: its weekly times and dated sessions, expanded into start
times (local time) within a window. Prefetch weekly_slots and one_off_sessions to read many."""

from datetime import datetime, timedelta

from django.utils import timezone

from providers.models import Activity


def session_starts(activity: Activity, *, since: datetime, until: datetime) -> list[datetime]:
    """Every session start from `since` to `until` (both included), earliest first."""
    since, until = timezone.localtime(since), timezone.localtime(until)
    starts = set()
    for slot in activity.weekly_slots.all():
        day = since.date() + timedelta(days=(slot.weekday - since.weekday()) % 7)
        while day <= until.date():
            start = timezone.make_aware(datetime.combine(day, slot.start_time))
            if since <= start <= until:
                starts.add(start)
            day += timedelta(weeks=1)
    for session in activity.one_off_sessions.all():
        if since <= session.starts_at <= until:
            starts.add(timezone.localtime(session.starts_at))
    return sorted(starts)


def next_session_starts(activity: Activity, *, count: int = 4, now=None) -> list[datetime]:
    """The next `count` sessions after now, within 12 weeks (what an accept form offers)."""
    now = now or timezone.now()
    return session_starts(activity, since=now, until=now + timedelta(weeks=12))[:count]
