"""Which listings the open data outputs publish, fetched in a fixed number of queries."""

import hashlib
import uuid
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import (
    CharField,
    F,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Value,
)
from django.utils import timezone

from providers.geography import outcode_of
from providers.models import (
    Activity,
    ActivityAccessibility,
    ActivitySuitability,
    OneOffSession,
    Outcode,
    VenueAccessibility,
    WeeklySlot,
)
from providers.open_data.terms import terms_by_id
from talkingmoves.accounts.models import Organisation
from talkingmoves.core.expressions import AnyOf
from talkingmoves.core.keyset import RowCompare


def shareable_activities() -> QuerySet[Activity]:
    """Everything but Talking Therapies services' in-house offers, which stay private."""
    return Activity.objects.exclude(
        provider__organisation__kind=Organisation.Kind.TALKING_THERAPIES
    )


def published_activities() -> QuerySet[Activity]:
    """Live activities of live providers, at live venues (or online)."""
    return shareable_activities().filter(
        Q(venue__isnull=True) | Q(venue__archived_at__isnull=True),
        archived_at__isnull=True,
        provider__archived_at__isnull=True,
    )


def _with_everything(queryset: QuerySet[Activity]) -> QuerySet[Activity]:
    upcoming = OneOffSession.objects.filter(ends_at__gte=timezone.now())
    return queryset.select_related("provider", "venue", "activity_type").prefetch_related(
        Prefetch("one_off_sessions", queryset=upcoming, to_attr="upcoming_sessions"),
    )


def _attach_rows(activities: list[Activity]) -> list[Activity]:
    """Each activity's suitability, accessibility and weekly slots, and its venue's
    accessibility, as lists of plain rows in `<relation>_rows` (terms.rows_of): one query
    each, as prefetch_related, without a model instance per row or a queryset per
    activity (a feed page of 500 built 2,000 querysets and 8,000 instances)."""
    by_activity = defaultdict(list)
    venues = defaultdict(list)  # each activity has its own instance of a shared venue
    for activity in activities:
        by_activity[activity.pk].append(activity)
        if activity.venue is not None:
            venues[activity.venue_id].append(activity.venue)
    relations = (
        (by_activity, ActivitySuitability, "activity_id", "suitability", ("tag",)),
        (by_activity, ActivityAccessibility, "activity_id", "accessibility", ("feature",)),
        (by_activity, WeeklySlot, "activity_id", "weekly_slots", SLOT_FIELDS),
        (venues, VenueAccessibility, "venue_id", "accessibility", ("feature",)),
    )
    for owners, model, key, relation, fields in relations:
        rows = defaultdict(list)
        if owners:
            found = model.objects.filter(**{f"{key}__in": list(owners)}).order_by("pk")
            for row in found.values_list(key, *fields, named=True):
                rows[getattr(row, key)].append(row)
        for pk, instances in owners.items():
            for owner in instances:
                setattr(owner, f"{relation}_rows", rows[pk])
    return activities


SLOT_FIELDS = ("weekday", "start_time", "end_time")


def matching_services(*, text: str = "", taxonomy_term_id: uuid.UUID | None = None):
    services = published_activities()
    if text:
        services = services.filter(
            Q(name__icontains=text)
            | Q(description__icontains=text)
            | Q(provider__name__icontains=text)
            | Q(activity_type__label__icontains=text)
        )
    if taxonomy_term_id is not None:
        kind, code = terms_by_id().get(str(taxonomy_term_id), ("activity_type", None))
        if kind == "suitability":
            services = services.filter(suitability__tag=code)
        elif kind == "accessibility":
            services = services.filter(accessibility__feature=code)
        else:
            services = services.filter(activity_type_id=str(taxonomy_term_id))
    return services


# ORUK paging is by page number (the standard's `page`), so page 200 must not mean reading
# the 9,950 services before it. The walk of every matching service's (name, id) is done once
# a minute: its length is the total, and every ANCHOR_EVERY-th key is remembered, so a page
# seeks to the anchor before it in the index `activity_oruk_by_name` and reads at most
# ANCHOR_EVERY + per_page keys. For that minute, a service added or removed can shift later
# pages by a row, as it would under OFFSET while a client pages (ORUK_INDEX_CACHE_SECONDS).
ANCHOR_EVERY = 100


@dataclass(frozen=True)
class ServiceIndex:
    total: int
    anchors: list[tuple[str, int]]  # (name, pk) of rows 0, 100, 200, ... in (name, pk) order


def service_index(services: QuerySet[Activity], *, cache_key: str) -> ServiceIndex:
    key = "oruk-services:" + hashlib.sha256(cache_key.encode()).hexdigest()
    seconds = settings.ORUK_INDEX_CACHE_SECONDS
    index = cache.get(key) if seconds else None
    if index is None:
        keys = list(services.order_by("name", "pk").values_list("name", "pk"))
        index = ServiceIndex(total=len(keys), anchors=keys[::ANCHOR_EVERY])
        if seconds:
            cache.set(key, index, seconds)
    return index


def service_page(
    services: QuerySet[Activity], index: ServiceIndex, *, offset: int, limit: int
) -> list[Activity]:
    if offset >= index.total or not index.anchors:
        return []
    anchor_name, anchor_pk = index.anchors[offset // ANCHOR_EVERY]
    skip = offset % ANCHOR_EVERY
    after_anchor = RowCompare(
        [F("name"), F("pk")],
        [Value(anchor_name, output_field=CharField()), Value(anchor_pk, IntegerField())],
        ">=",
    )
    keys = list(
        services.filter(after_anchor)
        .order_by("name", "pk")
        .values_list("pk", flat=True)[skip : skip + limit]
    )
    rows = Activity.objects.select_related("provider").prefetch_related("suitability").in_bulk(keys)
    return [rows[key] for key in keys if key in rows]


def service_detail(public_id: uuid.UUID) -> Activity | None:
    activity = _with_everything(published_activities()).filter(public_id=public_id).first()
    return _attach_rows([activity])[0] if activity is not None else None


def regions_for(activities) -> dict[str, str]:
    """Postcode district -> local authority area, for the venues of `activities`."""
    outcodes = {outcode_of(a.venue.postcode) for a in activities if a.venue and a.venue.postcode}
    if not outcodes:
        return {}
    found = Outcode.objects.filter(AnyOf("outcode", sorted(outcodes), of="text"))
    return dict(found.values_list("outcode", "region"))
