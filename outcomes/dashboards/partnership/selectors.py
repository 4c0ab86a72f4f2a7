"""Read-side queries for an Active Partnership's dashboard: its listings, the referrals its
providers receive, and provision gaps. Nothing here identifies a person: every figure is a
count, and the presenters' tables publish counts of people by NHS Digital's rule (1 to 7
suppressed, others rounded to the nearest 5).

The partnership's area is its listings (the directory scoping: providers whose partnership
it is), and, for provision gaps, the postcode districts where those listings have venues.
"""

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Case, CharField, Count, F, Q, Value, When
from django.utils import timezone

from outcomes.dashboards import db
from outcomes.dashboards.partnership import referral_months
from outcomes.dashboards.periods import Period
from outcomes.models import Episode
from providers import activity_types, geography
from providers.models import (
    Activity,
    ActivityAccessibility,
    ActivityType,
    Outcode,
    Provider,
    Venue,
    VenueAccessibility,
    needs_checking_q,
    stale_cutoff,
)
from referrals.models import Referral, ServiceUser
from talkingmoves.core.compiled_query import CompiledValues, a_moment, ids_for_any_of
from talkingmoves.core.expressions import AnyOf
from talkingmoves.vocabulary.access_needs import Accessibility

ONLINE = "Online only"
# A person who has not said how far they would travel: the directory search's default.
DEFAULT_TRAVEL_KM = 5
# Venues are bucketed on a grid of this many degrees so each district checks only nearby ones.
GRID_DEGREES = 0.25


def _places(districts) -> dict[str, str]:
    """The place name of each district (the centroid table's town, else its area). The
    districts go as one array: an area of 500 districts was 500 placeholders to prepare."""
    rows = Outcode.objects.filter(AnyOf("outcode", districts, of="text")).values_list(
        "outcode", "town", "region"
    )
    return {outcode: town or region for outcode, town, region in rows}


def live_activities(partnership_id):
    # The providers' ids first, then their activities by the provider index: joined to the
    # providers instead, PostgreSQL reads every activity in the directory (16 ms against 2 at
    # 20,000 activities, docs/performance.md).
    providers = Provider.objects.filter(partnership_id=partnership_id, archived_at__isnull=True)
    return Activity.objects.filter(
        AnyOf("provider_id", providers.order_by().values_list("pk", flat=True)),
        archived_at__isnull=True,
    ).filter(Q(venue__isnull=True) | Q(venue__archived_at__isnull=True))


@dataclass(frozen=True)
class ListingCount:
    label: str
    listings: int
    needs_checking: int
    town: str = ""


@dataclass(frozen=True)
class Listings:
    total: int
    needs_checking: int
    by_type: list[ListingCount]
    by_district: list[ListingCount]


def _live_of(provider_ids):
    """live_activities, given the providers' ids."""
    return Activity.objects.filter(
        AnyOf("provider_id", provider_ids), archived_at__isnull=True
    ).filter(Q(venue__isnull=True) | Q(venue__archived_at__isnull=True))


def _listing_counts(now) -> dict:
    return {"listings": Count("pk"), "needs_checking": Count("pk", filter=needs_checking_q(now))}


def _by_type(shape, *, provider_ids, now):
    by_type = _live_of(provider_ids).values(label=F("activity_type__label"))
    return by_type.annotate(**_listing_counts(now)).order_by("-listings", "label")


def _by_district(shape, *, provider_ids, now):
    district = Case(
        When(venue__isnull=True, then=Value(ONLINE)),
        default=geography.postcode_district("venue__postcode"),
        output_field=CharField(),
    )
    by_district = _live_of(provider_ids).annotate(district=district).values("district")
    return by_district.annotate(**_listing_counts(now)).order_by("district")


# Compiled once (talkingmoves/core/compiled_query.py): building and compiling the two counts
# was most of their cost; `now` is sent as the cutoff needs_checking_q works out from it.
BY_TYPE = CompiledValues(_by_type, provider_ids=ids_for_any_of(), now=a_moment(send=stale_cutoff))
BY_DISTRICT = CompiledValues(
    _by_district, provider_ids=ids_for_any_of(), now=a_moment(send=stale_cutoff)
)


def listings(partnership_id, *, now=None) -> Listings:
    providers = Provider.objects.filter(partnership_id=partnership_id, archived_at__isnull=True)
    provider_ids = list(providers.order_by().values_list("pk", flat=True))
    type_rows: list[dict] = []
    by_district: list[dict] = []
    if provider_ids:
        now = now or timezone.now()
        type_rows = BY_TYPE.rows(provider_ids=provider_ids, now=now)
        by_district = BY_DISTRICT.rows(provider_ids=provider_ids, now=now)
    towns = _places([row["district"] for row in by_district])
    by_type = [ListingCount(**row) for row in type_rows]
    return Listings(
        total=sum(row.listings for row in by_type),
        needs_checking=sum(row.needs_checking for row in by_type),
        by_type=by_type,
        by_district=[
            ListingCount(
                label=row["district"],
                listings=row["listings"],
                needs_checking=row["needs_checking"],
                town=towns.get(row["district"], ""),
            )
            for row in by_district
        ],
    )


@dataclass(frozen=True)
class MonthOfReferrals:
    month: date
    received: int
    accepted: int
    started: int


def referrals_by_month(partnership_id, period: Period) -> list[MonthOfReferrals]:
    """Referrals sent to the area's providers in the period, by month (every month shown)."""
    found = referral_months.counts_by_month(partnership_id, period)
    months = []
    month = period.start.replace(day=1)
    while month <= period.end:
        row = found.get(month, {})
        months.append(
            MonthOfReferrals(
                month=month,
                received=row.get("received", 0),
                accepted=row.get("accepted", 0),
                started=row.get("started", 0),
            )
        )
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return months


# Provision gaps ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Gap:
    district: str
    town: str
    kind: str  # "Activity" or "Access need"
    label: str
    people: int  # service users in the district who want it
    unmet: int  # ... with nothing matching within their travel distance
    nearest_km: float | None  # nearest matching listing from the district centre, if in reach


def provision_gaps(partnership_id, period: Period) -> list[Gap]:
    """Districts where service users' interests or access needs have no live in-person
    listing (anyone's, not only the partnership's) within the distance they would travel.
    The people are those in touch with a Talking Therapies service during the period
    (`active_in`), so a gap reflects current demand, not everyone ever recorded.

    Bounded work: one grouped query over people (by district, interests, needs and travel
    distance), one query each for the listings that could match and their access features,
    then distances from each district's centre to nearby venues only (a coarse grid)."""
    districts = _area_districts(partnership_id)
    if not districts:
        return []
    centres = {
        row["outcode"]: row
        for row in Outcode.objects.filter(outcode__in=districts).values(
            "outcode", "latitude", "longitude", "town", "region"
        )
    }
    demand = _demand(list(centres), period)
    if not demand:
        return []
    interests = {key for (_, kind, key) in demand if kind == "Activity"}
    needs = {key for (_, kind, key) in demand if kind == "Access need"}
    reach = max(km for people in demand.values() for km in people)
    box = _box(centres.values(), reach)
    type_points, types_of_interest, labels = _activity_points(interests, box)
    need_points = _access_points(needs, box)
    accessibility_labels = dict(Accessibility.choices)

    gaps = []
    for (district, kind, key), people in demand.items():
        centre = geography.Point(centres[district]["latitude"], centres[district]["longitude"])
        if kind == "Activity":
            grids = [type_points[t] for t in types_of_interest.get(key, ()) if t in type_points]
            label = labels.get(key)
            if label is None:
                continue  # an identifier no longer on the Activity List
        else:
            grids = [need_points[key]] if key in need_points else []
            label = accessibility_labels.get(key, key)
        nearest = _nearest(centre, grids, max(people))
        unmet = sum(n for km, n in people.items() if nearest is None or nearest > km)
        if unmet:
            gaps.append(
                Gap(
                    district=district,
                    town=centres[district]["town"] or centres[district]["region"],
                    kind=kind,
                    label=label,
                    people=sum(people.values()),
                    unmet=unmet,
                    nearest_km=nearest,
                )
            )
    return sorted(gaps, key=lambda gap: (-gap.unmet, gap.district, gap.kind, gap.label))


def _area_districts(partnership_id) -> list[str]:
    return list(
        Venue.objects.filter(
            provider__partnership_id=partnership_id,
            archived_at__isnull=True,
            activities__archived_at__isnull=True,
        )
        .exclude(postcode="")
        .annotate(district=geography.postcode_district("postcode"))
        .values_list("district", flat=True)
        .distinct()
    )


def active_in(period: Period) -> Q:
    """Service users in touch with a service during the period: their record was created in
    it, an episode of theirs was open at some time in it, or a referral was sent or a
    signposting recorded for them in it."""
    episodes = Episode.objects.filter(referral_received_on__lte=period.end).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=period.start)
    )
    referrals = Referral.objects.filter(db.sent_in(period))
    return (
        Q(created_at__gte=period.starts_at, created_at__lt=period.ends_before)
        | Q(pk__in=episodes.values("service_user_id"))
        | Q(pk__in=referrals.values("service_user_id"))
    )


def _demand(districts: list[str], period: Period) -> dict[tuple[str, str, str], dict[int, int]]:
    """{(district, kind, interest or need): {travel km: people}}, from grouped rows."""
    demand: dict = defaultdict(lambda: defaultdict(int))
    for row in demand_rows(districts, period):
        km = row["max_travel_km"] or DEFAULT_TRAVEL_KM
        for interest in set(row["interests"] or ()):
            demand[(row["district"], "Activity", str(interest))][km] += row["people"]
        for need in set(row["accessibility_needs"] or ()):
            demand[(row["district"], "Access need", str(need))][km] += row["people"]
    return demand


def demand_rows(districts: list[str], period: Period):
    """People in touch in the period, living in the districts, grouped by what they want.
    Found through the index on their postcode district, not by reading every person."""
    return (
        ServiceUser.objects.filter(erased_at__isnull=True)
        .filter(active_in(period))
        .annotate(district=geography.postcode_district("postcode"))
        .filter(district__in=districts)
        .values("district", "interests", "accessibility_needs", "max_travel_km")
        .annotate(people=Count("pk"))
        .order_by()
    )


def _box(centres, km: float) -> tuple[float, float, float, float]:
    boxes = [
        geography.bounding_box(geography.Point(c["latitude"], c["longitude"]), km) for c in centres
    ]
    return (
        min(b[0] for b in boxes),
        max(b[1] for b in boxes),
        min(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def _in_person_live(prefix: str = ""):
    p = prefix
    return Q(
        **{
            f"{p}archived_at__isnull": True,
            f"{p}provider__archived_at__isnull": True,
            f"{p}venue__archived_at__isnull": True,
            f"{p}venue__latitude__isnull": False,
            f"{p}delivery_mode__in": [Activity.DeliveryMode.IN_PERSON, Activity.DeliveryMode.BOTH],
        }
    )


def _in_box(box, prefix: str) -> Q:
    return Q(
        **{
            f"{prefix}latitude__range": (box[0], box[1]),
            f"{prefix}longitude__range": (box[2], box[3]),
        }
    )


def _activity_points(interests, box):
    """Venue locations per activity type, for the types people are interested in (and the
    types under them: "Walking" is met by "Nordic Walking")."""
    if not interests:
        return {}, {}, {}
    types_of_interest = {key: activity_types.with_narrower([key]) for key in interests}
    wanted = set().union(*types_of_interest.values())
    rows = (
        Activity.objects.filter(_in_person_live(), _in_box(box, "venue__"))
        .filter(activity_type_id__in=wanted)
        .values_list("activity_type_id", "venue__latitude", "venue__longitude")
        .distinct()
    )
    points: dict = defaultdict(lambda: defaultdict(list))
    for type_id, latitude, longitude in rows:
        points[type_id][_cell(latitude, longitude)].append(geography.Point(latitude, longitude))
    labels = dict(ActivityType.objects.filter(pk__in=interests).values_list("pk", "label"))
    return points, types_of_interest, labels


def _access_points(needs, box):
    """Venue locations of live in-person listings offering each access feature (listed on
    the activity or on its venue)."""
    points: dict = defaultdict(lambda: defaultdict(list))
    if not needs:
        return points
    on_activity = ActivityAccessibility.objects.filter(
        _in_person_live("activity__"), _in_box(box, "activity__venue__"), feature__in=needs
    ).values_list("feature", "activity__venue__latitude", "activity__venue__longitude")
    on_venue = VenueAccessibility.objects.filter(
        _in_box(box, "venue__"),
        feature__in=needs,
        venue__archived_at__isnull=True,
        venue__activities__in=Activity.objects.filter(_in_person_live()),
    ).values_list("feature", "venue__latitude", "venue__longitude")
    for feature, latitude, longitude in on_activity.union(on_venue):
        if latitude is None or longitude is None:  # never, inside the box; for the type
            continue
        points[feature][_cell(latitude, longitude)].append(geography.Point(latitude, longitude))
    return points


def _cell(latitude: float, longitude: float) -> tuple[int, int]:
    return (math.floor(latitude / GRID_DEGREES), math.floor(longitude / GRID_DEGREES))


def _nearest(centre: geography.Point, grids, within_km: float) -> float | None:
    """Distance to the nearest point within `within_km`, or None when there is none."""
    min_lat, max_lat, min_lon, max_lon = geography.bounding_box(centre, within_km)
    low, high = _cell(min_lat, min_lon), _cell(max_lat, max_lon)
    best = None
    for grid in grids:
        for row in range(low[0], high[0] + 1):
            for column in range(low[1], high[1] + 1):
                for point in grid.get((row, column), ()):
                    distance = geography.distance_km(centre, point)
                    if distance <= within_km and (best is None or distance < best):
                        best = distance
    return best
