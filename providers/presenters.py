"""Display values for directory pages, so templates hold no logic."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.text import capfirst

from providers.models import Activity, ListingChange
from talkingmoves.vocabulary.times import Weekday


def months_between(earlier, later) -> int:
    return (
        (later.year - earlier.year) * 12 + later.month - earlier.month - (later.day < earlier.day)
    )


def last_checked_text(listing, *, now=None) -> str:
    """'last checked 8 months ago', 'last checked today', 'never checked'."""
    if listing.last_verified_at is None:
        return "never checked"
    now = now or timezone.now()
    days = (now - listing.last_verified_at).days
    if days < 1:
        return "last checked today"
    if days < 31:
        return f"last checked {days} day{'s' if days != 1 else ''} ago"
    months = max(1, months_between(listing.last_verified_at, now))
    if months < 24:
        return f"last checked {months} month{'s' if months != 1 else ''} ago"
    return f"last checked {months // 12} years ago"


def _money(value: Decimal) -> str:
    return f"£{value:.2f}".replace(".00", "")


def cost_text(activity: Activity) -> str:
    if activity.is_free:
        return "Free"
    parts = []
    if activity.price_full is not None:
        parts.append(_money(activity.price_full))
    if activity.price_concession is not None:
        parts.append(f"{_money(activity.price_concession)} concession")
    return ", ".join(parts) if parts else "Ask the provider"


def weekly_times_text(activity: Activity) -> list[str]:
    labels = dict(Weekday.choices)
    return [
        f"{labels[slot.weekday]}s {slot.start_time:%H:%M} to {slot.end_time:%H:%M}"
        for slot in activity.weekly_slots.all()
    ]


@dataclass(frozen=True)
class Tag:
    text: str
    colour: str  # an nhsuk-tag modifier


def status_tag(listing, *, now=None, history=()) -> Tag:
    """`history`, newest first, tells a listing its feed withdrew from one archived by hand."""
    if listing.archived_at is not None:
        latest = next(iter(history), None)
        if latest is not None and latest.action == ListingChange.Action.REMOVED_BY_FEED:
            return Tag("Withdrawn by its feed", "grey")
        return Tag("Archived", "grey")
    if listing.needs_checking(now=now):
        return Tag("Needs checking", "orange")
    return Tag("Up to date", "green")


def archived_together_text(counts: dict[str, int]) -> str:
    """{'venues': 2, 'activities': 1} -> '2 venues and 1 activity'."""
    nouns = {"venues": ("venue", "venues"), "activities": ("activity", "activities")}
    parts = [
        f"{count} {nouns[name][0] if count == 1 else nouns[name][1]}"
        for name, count in sorted(counts.items(), key=lambda item: item[0] != "venues")
        if count
    ]
    return " and ".join(parts)


def listing_row(activity: Activity, url: str) -> dict[str, str | Tag]:
    """One row of the listings table, every value ready to print: a flat dict, so each
    template lookup is one dict read (50 rows a page; docs/performance.md, stop 33)."""
    venue = activity.venue
    return {
        "url": url,
        "name": activity.name,
        "kind": f"{activity.activity_type.label} · {activity.provider.name}",
        "place": venue.name if venue else str(Activity.DeliveryMode.ONLINE.label),
        "postcode": venue.postcode if venue else "",
        "tag": status_tag(activity),
        "checked": capfirst(last_checked_text(activity)),
    }
