"""Clinicians' directory search: filters in the database, distance computed in SQL, the
slow parts (next session, unmet access needs) only for the page being shown."""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Value
from django.db.models.functions import ASin, Cos, Least, Power, Radians, Sin, Sqrt
from django.utils import timezone

from talkingmoves.accounts.scoping import visible_to

from . import activity_types, geography
from .models import (
    Activity,
    ActivityAccessibility,
    ActivitySuitability,
    OneOffSession,
    VenueAccessibility,
    WeeklySlot,
)

LOW_COST_LIMIT = Decimal("5.00")
TIME_BANDS = {
    "morning": (time(0, 0), time(12, 0)),
    "afternoon": (time(12, 0), time(17, 0)),
    "evening": (time(17, 0), time(23, 59, 59)),
}


@dataclass
class Criteria:
    postcode: str = ""
    centre: geography.Point | None = None
    distance_km: float = 5
    delivery: str = "in_person"  # in_person / online / any
    activity_type_ids: set[str] = field(default_factory=set)
    days: set[int] = field(default_factory=set)  # 0 = Monday
    times: set[str] = field(default_factory=set)  # keys of TIME_BANDS
    cost: str = ""  # "" / free / low
    format: str = ""
    intensities: set[str] = field(default_factory=set)
    suitable_for: list[str] = field(default_factory=list)
    accessibility: list[str] = field(default_factory=list)


@dataclass
class Result:
    activity: Activity
    distance_km: float | None
    next_session: datetime | None
    missing_access: list[str]


def _distance_expression(centre: geography.Point):
    """Great-circle distance in km (haversine), in SQL, on PostgreSQL and SQLite alike."""
    lat1, lon1 = Radians(Value(centre.latitude)), Radians(Value(centre.longitude))
    lat2, lon2 = Radians(F("venue__latitude")), Radians(F("venue__longitude"))
    h = Power(Sin((lat2 - lat1) / 2), 2) + Cos(lat1) * Cos(lat2) * Power(Sin((lon2 - lon1) / 2), 2)
    return Value(2 * geography.EARTH_RADIUS_KM) * ASin(Least(Value(1.0), Sqrt(h)))


def _slot_filter(criteria: Criteria) -> Q:
    condition = Q()
    if criteria.days:
        condition &= Q(weekday__in=criteria.days)
    if criteria.times:
        bands = Q()
        for band in criteria.times:
            start, end = TIME_BANDS[band]
            bands |= Q(start_time__gte=start, start_time__lt=end)
        condition &= bands
    return condition


def matching_activities(user, criteria: Criteria) -> QuerySet:
    activities = visible_to(user, Activity).filter(
        archived_at__isnull=True, provider__archived_at__isnull=True
    )
    activities = activities.filter(Q(venue__isnull=True) | Q(venue__archived_at__isnull=True))

    if criteria.delivery == "online":
        activities = activities.filter(delivery_mode__in=["online", "both"])
    else:
        if criteria.delivery == "in_person":
            activities = activities.filter(delivery_mode__in=["in_person", "both"])
        if criteria.centre is not None:
            min_lat, max_lat, min_lon, max_lon = geography.bounding_box(
                criteria.centre, criteria.distance_km
            )
            in_box = Q(
                venue__latitude__range=(min_lat, max_lat),
                venue__longitude__range=(min_lon, max_lon),
            )
            activities = activities.annotate(distance=_distance_expression(criteria.centre))
            nearby = in_box & Q(distance__lte=criteria.distance_km)
            if criteria.delivery == "any":
                nearby |= Q(delivery_mode="online")
            activities = activities.filter(nearby)

    if criteria.activity_type_ids:
        activities = activities.filter(
            activity_type_id__in=activity_types.with_narrower(criteria.activity_type_ids)
        )
    if criteria.days or criteria.times:
        now = timezone.now()
        slot = WeeklySlot.objects.filter(_slot_filter(criteria), activity=OuterRef("pk"))
        one_off = OneOffSession.objects.filter(activity=OuterRef("pk"), starts_at__gte=now)
        if criteria.days:
            # Django's week_day runs 1 (Sunday) to 7 (Saturday).
            one_off = one_off.filter(
                starts_at__week_day__in=[(d + 1) % 7 + 1 for d in criteria.days]
            )
        activities = activities.filter(Exists(slot) | Exists(one_off))
    if criteria.cost == "free":
        activities = activities.filter(is_free=True)
    elif criteria.cost == "low":
        activities = activities.filter(
            Q(is_free=True)
            | Q(price_full__lte=LOW_COST_LIMIT)
            | Q(price_concession__lte=LOW_COST_LIMIT)
        )
    if criteria.format:
        activities = activities.filter(format=criteria.format)
    if criteria.intensities:
        activities = activities.filter(intensity__in=criteria.intensities)
    for tag in criteria.suitable_for:
        activities = activities.filter(
            Exists(ActivitySuitability.objects.filter(activity=OuterRef("pk"), tag=tag))
        )
    if criteria.accessibility:
        # Access needs rank rather than hide: listings that meet them all come first, and the
        # others say what they do not list.
        meets_all = Q()
        for feature in criteria.accessibility:
            meets_all &= Exists(
                ActivityAccessibility.objects.filter(activity=OuterRef("pk"), feature=feature)
            ) | Exists(VenueAccessibility.objects.filter(venue=OuterRef("venue"), feature=feature))
        activities = activities.annotate(meets_access=meets_all)
    ordering = ["-meets_access"] if criteria.accessibility else []
    if criteria.centre is not None and criteria.delivery != "online":
        ordering.append(F("distance").asc(nulls_last=True))
    return activities.order_by(*ordering, "name", "pk")


def next_session(activity: Activity, *, now: datetime) -> datetime | None:
    """The next dated or weekly session after `now`, in local time."""
    local_now = timezone.localtime(now)
    candidates = [s.starts_at for s in activity.one_off_sessions.all() if s.starts_at >= now]
    for slot in activity.weekly_slots.all():
        days_ahead = (slot.weekday - local_now.weekday()) % 7
        day = local_now.date() + timedelta(days=days_ahead)
        start = timezone.make_aware(datetime.combine(day, slot.start_time))
        if start < local_now:
            start += timedelta(days=7)
        candidates.append(start)
    return min(candidates) if candidates else None


def results_for_page(activities, criteria: Criteria, *, now=None) -> list[Result]:
    now = now or timezone.now()
    results = []
    for activity in activities:
        listed = {a.feature for a in activity.accessibility.all()}
        if activity.venue is not None:
            listed |= {a.feature for a in activity.venue.accessibility.all()}
        results.append(
            Result(
                activity=activity,
                distance_km=getattr(activity, "distance", None),
                next_session=next_session(activity, now=now),
                missing_access=[f for f in criteria.accessibility if f not in listed],
            )
        )
    return results


def prefetch_for_results(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("provider", "venue", "activity_type").prefetch_related(
        "weekly_slots", "one_off_sessions", "accessibility", "venue__accessibility", "suitability"
    )


def relaxations(user, criteria: Criteria) -> list[dict]:
    """When nothing matches: which single change would find something, and how many."""
    suggestions = []
    if criteria.centre is not None and criteria.delivery != "online":
        for wider in (10, 20, 40):
            if wider > criteria.distance_km:
                count = matching_activities(user, _with(criteria, distance_km=wider)).count()
                if count:
                    suggestions.append(
                        {
                            "change": "distance_km",
                            "value": wider,
                            "count": count,
                            "text": f"Search within {wider} km",
                        }
                    )
                    break
    if criteria.delivery != "online":
        count = matching_activities(user, _with(criteria, delivery="online")).count()
        if count:
            suggestions.append(
                {
                    "change": "delivery",
                    "value": "online",
                    "count": count,
                    "text": "Look at online options",
                }
            )
    for name, empty, text in (
        ("days", set(), "Any day"),
        ("times", set(), "Any time of day"),
        ("cost", "", "Any cost"),
        ("suitable_for", [], "Without the 'suitable for' filters"),
    ):
        if getattr(criteria, name):
            count = matching_activities(user, _with(criteria, **{name: empty})).count()
            if count:
                suggestions.append({"change": name, "value": "", "count": count, "text": text})
    return suggestions


def _with(criteria: Criteria, **changes) -> Criteria:
    from dataclasses import replace

    return replace(criteria, **changes)
