"""Clinicians' directory search: filters in the database, distance computed in SQL, the
slow parts (next session, unmet access needs) only for the page being shown."""

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from django.db.models import (
    Case,
    Exists,
    Expression,
    F,
    OrderBy,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from providers import activity_types, geography, result_rows
from providers.models import (
    Activity,
    ActivityAccessibility,
    ActivitySuitability,
    OneOffSession,
    VenueAccessibility,
    WeeklySlot,
)
from talkingmoves.accounts.scoping import visible_to
from talkingmoves.vocabulary.access_needs import Accessibility
from talkingmoves.vocabulary.activities import DeliveryMode, SuitableFor
from talkingmoves.vocabulary.people import Gender
from talkingmoves.vocabulary.preferences import (
    ANY_COST_LABEL,
    LOW_COST_LIMIT,
    CostPreference,
    DeliveryPreference,
)
from talkingmoves.vocabulary.times import TIME_BANDS, TimeOfDay, Weekday


@dataclass
class Criteria:
    postcode: str = ""
    centre: geography.Point | None = None
    distance_km: float = 5
    delivery: str = DeliveryPreference.IN_PERSON
    activity_type_ids: set[str] = field(default_factory=set)
    days: set[int] = field(default_factory=set)  # 0 = Monday
    times: set[str] = field(default_factory=set)  # keys of TIME_BANDS
    cost: str = ""  # "" or one of COST_LIMITS
    format: str = ""
    intensities: set[str] = field(default_factory=set)
    suitable_for: list[str] = field(default_factory=list)
    accessibility: list[str] = field(default_factory=list)
    # Best matches first: what they would enjoy (type, format, intensity, suitable for) ranks
    # instead of excluding. Place, delivery, cost, day and time always narrow the results.
    rank_by_fit: bool = False
    # Who it is for, when searching from a record: sessions for one sex or an age group are
    # not offered to people outside it.
    person_gender: str = ""
    person_age: int | None = None

    @property
    def by_distance(self) -> bool:
        """Whether results are near a place, nearest first (online ones need no place)."""
        return self.centre is not None and self.delivery != DeliveryPreference.ONLINE


@dataclass
class Result:
    activity: Activity
    distance_km: float | None
    next_session: datetime | None
    missing_access: list[str]
    why: list[str] = field(default_factory=list)  # "walking", "free", "step-free", "1.2 km"
    access: list[str] = field(default_factory=list)  # the venue's and the activity's, in order


def _slot_filter(criteria: Criteria) -> Q:
    condition = Q()
    if criteria.days:
        condition &= Q(weekday__in=criteria.days)
    if criteria.times:
        bands = Q()
        for band in criteria.times:
            start, end = TIME_BANDS[TimeOfDay(band)]
            bands |= Q(start_time__gte=start, start_time__lt=end)
        condition &= bands
    return condition


def _meets_access(features) -> Q:
    meets_all = Q()
    for feature in features:
        meets_all &= Exists(
            ActivityAccessibility.objects.filter(activity=OuterRef("pk"), feature=feature)
        ) | Exists(VenueAccessibility.objects.filter(venue=OuterRef("venue"), feature=feature))
    return meets_all


def _dated_time_filter(times) -> Q:
    bands = Q()
    for band in times:
        start, end = TIME_BANDS[TimeOfDay(band)]
        bands |= Q(starts_at__time__gte=start, starts_at__time__lt=end)
    return bands


def _constraints(criteria: Criteria) -> list[Q]:
    """What must fit whatever the ordering: cost, day and time (place and delivery are
    applied separately, with the distance)."""
    constraints: list[Q] = []
    if criteria.days or criteria.times:
        slot = WeeklySlot.objects.filter(_slot_filter(criteria), activity=OuterRef("pk"))
        one_off = OneOffSession.objects.filter(
            activity=OuterRef("pk"), starts_at__gte=timezone.now()
        )
        if criteria.days:
            # Django's week_day runs 1 (Sunday) to 7 (Saturday), in local time.
            one_off = one_off.filter(
                starts_at__week_day__in=[(d + 1) % 7 + 1 for d in criteria.days]
            )
        if criteria.times:
            one_off = one_off.filter(_dated_time_filter(criteria.times))
        constraints.append(Q(Exists(slot)) | Q(Exists(one_off)))
    if criteria.cost == CostPreference.FREE:
        constraints.append(Q(is_free=True))
    elif criteria.cost == CostPreference.LOW:
        constraints.append(
            Q(is_free=True)
            | Q(price_full__lte=LOW_COST_LIMIT)
            | Q(price_concession__lte=LOW_COST_LIMIT)
        )
    return constraints


def _not_for_others(criteria: Criteria) -> Q:
    """Sessions for one sex or an age group the person is outside of."""
    excluded: list[str] = []
    if criteria.person_gender == Gender.MALE:
        excluded.append(SuitableFor.WOMEN_ONLY)
    elif criteria.person_gender == Gender.FEMALE:
        excluded.append(SuitableFor.MEN_ONLY)
    age = criteria.person_age
    if age is not None:
        if not 18 <= age <= 25:
            excluded.append(SuitableFor.AGE_18_25)
        if age < 50:
            excluded.append(SuitableFor.OVER_50S)
    if not excluded:
        return Q()
    return ~Q(Exists(ActivitySuitability.objects.filter(activity=OuterRef("pk"), tag__in=excluded)))


def _preference_conditions(criteria: Criteria) -> list[tuple[Q, int]]:
    """Each preference as a condition, with its weight when ranking by fit. What someone
    would enjoy counts most, then access; the rest one point each."""
    conditions: list[tuple[Q, int]] = []
    if criteria.activity_type_ids:
        types = activity_types.with_narrower(criteria.activity_type_ids)
        conditions.append((Q(activity_type_id__in=types), 4))
    if criteria.format:
        conditions.append((Q(format=criteria.format), 1))
    if criteria.intensities:
        conditions.append((Q(intensity__in=criteria.intensities), 1))
    for tag in criteria.suitable_for:
        conditions.append(
            (Q(Exists(ActivitySuitability.objects.filter(activity=OuterRef("pk"), tag=tag))), 1)
        )
    if criteria.rank_by_fit and criteria.accessibility:
        conditions.append((_meets_access(criteria.accessibility), 2))
    return conditions


def matching_activities(user, criteria: Criteria) -> QuerySet:
    # Every condition in one filter() and every annotation in one annotate(): each call
    # copies the query built so far, and a search has a dozen conditions.
    conditions = [
        Q(archived_at__isnull=True, provider__archived_at__isnull=True),
        Q(venue__isnull=True) | Q(venue__archived_at__isnull=True),
    ]
    annotations: dict[str, Expression] = {}
    if criteria.delivery == DeliveryPreference.ONLINE:
        conditions.append(Q(delivery_mode__in=[DeliveryMode.ONLINE, DeliveryMode.BOTH]))
    else:
        if criteria.delivery == DeliveryPreference.IN_PERSON:
            conditions.append(Q(delivery_mode__in=[DeliveryMode.IN_PERSON, DeliveryMode.BOTH]))
        if criteria.centre is not None:
            min_lat, max_lat, min_lon, max_lon = geography.bounding_box(
                criteria.centre, criteria.distance_km
            )
            in_box = Q(
                venue__latitude__range=(min_lat, max_lat),
                venue__longitude__range=(min_lon, max_lon),
            )
            annotations["distance"] = geography.GreatCircleKm(
                F("venue__latitude"), F("venue__longitude"), centre=criteria.centre
            )
            nearby = in_box & Q(distance__lte=criteria.distance_km)
            if criteria.delivery == DeliveryPreference.ANY:
                nearby |= Q(delivery_mode=DeliveryMode.ONLINE)
            conditions.append(nearby)

    conditions += _constraints(criteria)
    conditions.append(_not_for_others(criteria))
    preferences = _preference_conditions(criteria)
    if criteria.rank_by_fit:
        score: Expression = Value(0)
        for condition, weight in preferences:
            score = score + Case(When(condition, then=Value(weight)), default=Value(0))
        annotations["fit"] = score
    else:
        conditions += [condition for condition, _weight in preferences]
    if criteria.accessibility:
        # Access needs rank rather than hide: listings that meet them all come first, and the
        # others say what they do not list.
        annotations["meets_access"] = _meets_access(criteria.accessibility)
    ordering: list[str | OrderBy] = ["-fit"] if criteria.rank_by_fit else []
    if criteria.accessibility:
        ordering.append("-meets_access")
    if criteria.by_distance:
        ordering.append(F("distance").asc(nulls_last=True))
    activities = visible_to(user, Activity)
    if annotations:
        activities = activities.annotate(**annotations)
    return activities.filter(*conditions).order_by(*ordering, "name", "pk")


def for_person(criteria: Criteria, person, *, today: date) -> Criteria:
    """The search narrowed to sessions open to this person (their stated gender and age)."""
    age = None
    born = person.date_of_birth
    if born is not None:
        age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    return replace(criteria, person_gender=person.gender or "", person_age=age)


def best_fit(criteria: Criteria) -> int:
    """The score of a listing that fits every ranked preference (ranking by fit only)."""
    return sum(weight for _condition, weight in _preference_conditions(criteria))


def next_session(activity: Activity, *, now: datetime) -> datetime | None:
    """The next dated or weekly session after `now`, in local time."""
    starts = [s.starts_at for s in activity.one_off_sessions.all()]
    return _next_of(starts, list(activity.weekly_slots.all()), now=now)


def _next_of(session_starts, slots, *, now: datetime) -> datetime | None:
    local_now = timezone.localtime(now)
    candidates = [start for start in session_starts if start >= now]
    for slot in slots:
        days_ahead = (slot.weekday - local_now.weekday()) % 7
        day = local_now.date() + timedelta(days=days_ahead)
        start = timezone.make_aware(datetime.combine(day, slot.start_time))
        if start < local_now:
            start += timedelta(days=7)
        candidates.append(start)
    return min(candidates) if candidates else None


def results_for_page(activities, criteria: Criteria, *, now=None) -> list[Result]:
    """The page's activities (for_results(), not prefetched) as results; what each needs
    beside its row is read in four queries for the page (providers/result_rows.py)."""
    now = now or timezone.now()
    activities = list(activities)
    rows = result_rows.rows_for(activities, now=now)
    results = []
    for activity in activities:
        extra = rows[activity.pk]
        listed = extra.listed
        distance = getattr(activity, "distance", None)
        results.append(
            Result(
                activity=activity,
                distance_km=distance,
                next_session=_next_of(extra.session_starts, extra.slots, now=now),
                missing_access=[f for f in criteria.accessibility if f not in listed],
                access=[f for f in Accessibility.values if f in listed],
                why=why_it_matches(
                    activity, criteria, listed=listed, distance_km=distance, slots=extra.slots
                ),
            )
        )
    return results


def why_it_matches(activity, criteria: Criteria, *, listed, distance_km, slots) -> list[str]:
    """The reasons a clinician can read at a glance: 'walking · free · step-free · 1.2 km ·
    Tuesdays 10:00'."""
    reasons = [activity_types.label_of(activity.activity_type_id).lower()]
    if activity.is_free:
        reasons.append("free")
    elif criteria.cost == CostPreference.LOW and (
        (activity.price_full is not None and activity.price_full <= LOW_COST_LIMIT)
        or (activity.price_concession is not None and activity.price_concession <= LOW_COST_LIMIT)
    ):
        reasons.append("low cost")
    reasons += [Accessibility(f).label.lower() for f in criteria.accessibility if f in listed]
    if distance_km is not None:
        reasons.append(f"{distance_km:.1f} km")
    elif activity.delivery_mode != DeliveryMode.IN_PERSON:
        reasons.append(DeliveryMode.ONLINE.label.lower())
    wanted_days = [slot for slot in slots if not criteria.days or slot.weekday in criteria.days]
    if wanted_days:
        slot = wanted_days[0]
        reasons.append(f"{Weekday(slot.weekday).label}s {slot.start_time:%H:%M}")
    return reasons


# What a result's card and reasons read of an activity, its provider and venue
# (providers/search_cards.py, why_it_matches): a third of their columns. The type's label
# comes from activity_types.label_of.
RESULT_COLUMNS = (
    "public_id", "name", "activity_type_id", "is_free", "price_full", "price_concession",
    "delivery_mode", "takes_referrals", "last_verified_at", "feed_id", "provider__name",
    "venue__name", "venue__postcode", "venue__location_is_approximate",
)  # fmt: skip


def for_results(queryset: QuerySet) -> QuerySet:
    """The search page's activities: with provider and venue; the rest is read for the page
    by results_for_page."""
    return queryset.select_related("provider", "venue").only(*RESULT_COLUMNS)


def prefetch_for_results(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("provider", "venue", "activity_type").prefetch_related(
        "weekly_slots", "one_off_sessions", "accessibility", "venue__accessibility"
    )


def relaxations(user, criteria: Criteria) -> list[dict]:
    """When nothing matches: which single change would find something, and how many."""
    suggestions = []
    if criteria.by_distance:
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
    if criteria.delivery != DeliveryPreference.ONLINE:
        online = DeliveryPreference.ONLINE
        count = matching_activities(user, _with(criteria, delivery=online)).count()
        if count:
            suggestions.append(
                {
                    "change": "delivery",
                    "value": online,
                    "count": count,
                    "text": "Look at online options",
                }
            )
    for name, empty, text in (
        ("days", set(), "Any day"),
        ("times", set(), "Any time of day"),
        ("cost", "", ANY_COST_LABEL),
        ("suitable_for", [], "Without the 'suitable for' filters"),
    ):
        if getattr(criteria, name):
            count = matching_activities(user, _with(criteria, **{name: empty})).count()
            if count:
                suggestions.append({"change": name, "value": "", "count": count, "text": text})
    return suggestions


def _with(criteria: Criteria, **changes) -> Criteria:
    return replace(criteria, **changes)
