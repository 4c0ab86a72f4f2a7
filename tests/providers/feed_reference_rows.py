"""The OpenActive feed page's rows and view body as they were at commit 859ef1b, before the
feed page was read as plain rows: a frozen, verbatim copy (selectors.py's feed functions,
terms.py's row helpers, the view's body), the reference test_open_data_feed_same_json holds
the feed's JSON to. Never edit it to make that test pass."""

import uuid
from collections import defaultdict
from datetime import datetime
from urllib.parse import urlencode

from django.db import connection
from django.db.models import DateTimeField, F, Prefetch, QuerySet, UUIDField, Value
from django.db.models.functions import Coalesce, Greatest
from django.http import JsonResponse
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
from talkingmoves.accounts.models import Organisation
from talkingmoves.core.keyset import RowCompare
from tests.providers import feed_reference as openactive
from tests.providers.feed_reference import rows_of

# --- selectors.py ----------------------------------------------------------------------


def shareable_activities() -> QuerySet[Activity]:
    """Everything but Talking Therapies services' in-house offers, which stay private."""
    return Activity.objects.exclude(
        provider__organisation__kind=Organisation.Kind.TALKING_THERAPIES
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


def feed_page(*, after: tuple[datetime, uuid.UUID] | None, limit: int) -> list[Activity]:
    """The next `limit` changes in (modified, id) order, deletions included.

    An activity's OpenActive record embeds its venue and provider, and archiving a venue or
    provider archives its activities without touching them, so the record counts as changed
    whenever any of the three was saved.
    """
    changes = shareable_activities().annotate(modified_at=_feed_modified())
    if after is not None:
        moment, public_id = after
        changes = changes.filter(
            RowCompare(
                [F("modified_at"), F("public_id")],
                [Value(moment, DateTimeField()), Value(public_id, UUIDField())],
                ">",
            )
        )
    keys = list(
        changes.order_by("modified_at", "public_id").values_list("pk", "modified_at")[:limit]
    )
    rows = _with_everything(Activity.objects.all()).in_bulk([pk for pk, _ in keys])
    page = []
    for pk, modified_at in keys:
        if pk in rows:
            # The stamp the page was ordered by, so the cursor never passes an unseen change.
            rows[pk].modified_at = modified_at  # type: ignore[attr-defined]  # not a field
            page.append(rows[pk])
    return _attach_rows(page)


def _feed_modified():
    """On PostgreSQL the column its triggers keep (providers migration 0007), read in
    the order of the index `activity_feed_by_modified`; elsewhere the same moment worked out."""
    if connection.vendor == "postgresql":
        return F("feed_modified_at")
    return Greatest(
        "updated_at", Coalesce("venue__updated_at", "updated_at"), "provider__updated_at"
    )


def in_feed(activity: Activity) -> bool:
    """Published, with times an activity finder can show; anything else reads as deleted."""
    return (
        activity.archived_at is None
        and activity.provider.archived_at is None
        and (activity.venue is None or activity.venue.archived_at is None)
        and bool(rows_of(activity, "weekly_slots") or activity.upcoming_sessions)  # type: ignore[attr-defined]  # a to_attr
    )


def regions_for(activities) -> dict[str, str]:
    """Postcode district -> local authority area, for the venues of `activities`."""
    outcodes = {outcode_of(a.venue.postcode) for a in activities if a.venue and a.venue.postcode}
    if not outcodes:
        return {}
    return dict(Outcode.objects.filter(outcode__in=outcodes).values_list("outcode", "region"))


# --- views.py --------------------------------------------------------------------------


def feed_response(request, after, *, page_size: int) -> JsonResponse:
    """views.openactive_session_series once its cursor is read, as it was (`selectors.` and
    `openactive.` are the copies here, FEED_PAGE_SIZE is `page_size`)."""
    activities = feed_page(after=after, limit=page_size)
    links = openactive.Links(absolute=request.build_absolute_uri)
    regions = regions_for(activities)
    items = [
        openactive.rpde_item(activity, published=in_feed(activity), links=links, regions=regions)
        for activity in activities
    ]
    if items:
        cursor = {"afterTimestamp": items[-1]["modified"], "afterId": items[-1]["id"]}
    elif after:
        cursor = {"afterTimestamp": openactive.modified_number(after[0]), "afterId": after[1]}
    else:
        cursor = {}
    # On the last page `next` is this page again: harvesters poll it for new changes.
    next_url = links.feed() + (f"?{urlencode(cursor)}" if cursor else "")
    return JsonResponse(
        {"next": next_url, "items": items, "license": openactive.LICENSE},
        json_dumps_params={"ensure_ascii": False},
    )
