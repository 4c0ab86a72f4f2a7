"""Whether a harvested item changes what is saved: comparisons the importer makes before it
writes anything."""

from providers.models import Activity, ListingChange, OneOffSession
from providers.openactive.schedules import SERIES_SESSION_PREFIX


def differs(instance, values: dict) -> bool:
    return any(getattr(instance, name) != value for name, value in values.items())


def slots(activity: Activity) -> set:
    return {(slot.weekday, slot.start_time, slot.end_time) for slot in activity.weekly_slots.all()}


def series_sessions(activity: Activity) -> list[OneOffSession]:
    prefetched = getattr(activity, "series_sessions", None)
    if prefetched is not None:
        return prefetched
    return list(activity.one_off_sessions.filter(external_id__startswith=SERIES_SESSION_PREFIX))


def same_sessions(current: dict, sessions) -> bool:
    return {key: (s.starts_at, s.ends_at) for key, s in current.items()} == {
        s.key: (s.starts_at, s.ends_at) for s in sessions
    }


def last_action(listing) -> str | None:
    return (
        ListingChange.objects.filter(listing_public_id=listing.public_id)
        .order_by("-at", "-id")
        .values_list("action", flat=True)
        .first()
    )
