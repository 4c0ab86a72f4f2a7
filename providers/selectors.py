"""Read-side queries for directory pages."""

from dataclasses import replace
from datetime import UTC, date, datetime, time

from django.db.models import (
    Case,
    CharField,
    Count,
    DateTimeField,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    UUIDField,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from talkingmoves.accounts.scoping import get_for_user_or_404
from talkingmoves.core import keyset

from .models import Activity, ListingChange, Provider, Venue, needs_checking_q
from .scopes import editable, editable_rows


def needs_checking_first(queryset: QuerySet, *, now=None) -> QuerySet:
    """Listings that need checking first (oldest check first), then the rest by name."""
    return queryset.annotate(
        stale_rank=Case(
            When(needs_checking_q(now), then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    ).order_by("stale_rank", "last_verified_at", "name", "pk")


# Never checked sorts after the oldest check, as NULLS LAST did; a real value keeps the
# cursor comparison a plain row comparison.
NEVER_CHECKED = datetime(9999, 12, 31, tzinfo=UTC)

# The partnership list's order (stale first, then by last check, name), as cursor keys.
LISTING_ORDER = [
    keyset.Key(F("stale_rank"), IntegerField()),
    keyset.datetime_key("checked_order", DateTimeField()),
    keyset.Key(F("name"), CharField()),
    keyset.uuid_key("public_id", UUIDField()),
]


def _listings_matching(user, q: str, status: str, source: str, now) -> QuerySet:
    activities = editable(user, Activity)
    if status == "archived":
        activities = activities.filter(archived_at__isnull=False)
    else:
        activities = activities.filter(archived_at__isnull=True)
        if status == "needs_checking":
            activities = activities.filter(needs_checking_q(now))
    if source:
        activities = activities.filter(source=source)
    if q:
        q = q.strip()
        activities = activities.filter(
            Q(name__icontains=q)
            | Q(provider__name__icontains=q)
            | Q(venue__name__icontains=q)
            | Q(venue__postcode__istartswith=q.upper())
            | Q(activity_type__label__icontains=q)
        )
    return activities


def _with_sort_keys(activities: QuerySet, now) -> QuerySet:
    return activities.annotate(
        stale_rank=Case(
            When(needs_checking_q(now), then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        ),
        checked_order=Coalesce("last_verified_at", Value(NEVER_CHECKED)),
    )


def _with_listing_columns(activities: QuerySet) -> QuerySet:
    """The columns the listing page shows of each row."""
    return activities.select_related("provider", "venue", "activity_type", "feed").only(
        "public_id",
        "name",
        "archived_at",
        "last_verified_at",
        "provider__name",
        "venue__name",
        "venue__postcode",
        "activity_type__label",
        # A feed listing's status is its feed's (Listing.needs_checking).
        "feed__stale_since",
    )


def activities_page(user, *, filters: dict, params, per_page: int, now=None) -> keyset.Page:
    """One page of the listing page by cursor: no count of the listings and no rows before the
    page are read. The page is chosen from the listings' own columns (and their feed's), then
    only its rows are joined to their provider, venue and type: joined before the sort,
    PostgreSQL read every provider and venue in the directory to sort the partnership's few
    hundred listings and show 50 (docs/performance.md)."""
    matching = _listings_matching(
        user,
        filters.get("q", ""),
        filters.get("status", ""),
        filters.get("source", ""),
        now,
    )
    page = keyset.paginate(
        _with_sort_keys(matching, now).values_list(
            "pk", "stale_rank", "checked_order", "name", "public_id"
        ),
        LISTING_ORDER,
        per_page=per_page,
        params=params,
        row_values=lambda row: row[1:],
        extra={name: value for name, value in filters.items() if value},
    )
    chosen = [row[0] for row in page.rows]
    shown = _with_listing_columns(editable_rows(user, Activity)).in_bulk(chosen)
    # A listing taken out of the user's scope between the two reads is left out.
    return replace(page, rows=[shown[pk] for pk in chosen if pk in shown])


def listing_counts(user, *, now=None) -> dict[str, int]:
    live = editable(user, Activity).filter(archived_at__isnull=True)
    return live.aggregate(
        total=Count("pk"), needs_checking=Count("pk", filter=needs_checking_q(now))
    )


def _live_count(model) -> Coalesce:
    """How many live venues or activities a provider has, for the page's providers only: as
    a subquery PostgreSQL counts them after the page's rows are chosen, by the provider index;
    joined, it read every activity in the directory (42 ms against 3 at 110,000 activities)."""
    live = model.objects.filter(provider=OuterRef("pk"), archived_at__isnull=True).order_by()
    counted = live.values("provider").annotate(count=Count("pk")).values("count")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def providers_to_manage(user, *, archived: bool = False):
    return needs_checking_first(
        editable(user, Provider)
        .filter(archived_at__isnull=not archived)
        .annotate(venue_count=_live_count(Venue), activity_count=_live_count(Activity))
    )


def venues_of(provider: Provider):
    return provider.venues.filter(archived_at__isnull=True).order_by("name")


def activities_of(provider: Provider):
    return provider.activities.filter(archived_at__isnull=True).select_related(
        "venue", "activity_type"
    )


def history_of(listing, *, limit: int = 50):
    return ListingChange.objects.filter(listing_public_id=listing.public_id).select_related(
        "actor"
    )[:limit]


def activity_detail_queryset():
    return Activity.objects.select_related(
        "provider", "provider__organisation", "venue", "activity_type", "last_verified_by"
    ).prefetch_related("suitability", "accessibility", "weekly_slots", "venue__accessibility")


def venue_detail_queryset():
    return Venue.objects.select_related("provider", "last_verified_by").prefetch_related(
        "accessibility"
    )


def activity_for(user, public_id) -> Activity:
    """One listing the user may see, with what a referral page shows; 404 otherwise."""
    return get_for_user_or_404(
        user,
        Activity.objects.select_related("provider", "venue", "activity_type"),
        public_id=public_id,
    )


def upcoming_dated_sessions(activity: Activity) -> list[tuple[date, time, time]]:
    """The dated sessions entered on the page (not from a feed) from today on, in local time,
    as the activity form shows and takes them."""
    today = timezone.localdate()
    sessions = []
    for session in activity.one_off_sessions.filter(external_id=""):
        starts, ends = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
        if starts.date() >= today:
            sessions.append((starts.date(), starts.time(), ends.time()))
    return sorted(sessions)
