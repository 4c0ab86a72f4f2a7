"""Saving many listings at once, for the spreadsheet import: the same rules and history as
`services.provider_save`, `venue_save` and `activity_save`, in a fixed handful of bulk
queries per kind instead of several queries per row (5,000 rows: seconds, not a minute).

The caller holds the transaction (a job handler does), so a failure leaves nothing."""

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import time
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import timezone

from . import geography
from .models import (
    Activity,
    ActivityAccessibility,
    ActivitySuitability,
    ListingChange,
    Outcode,
    Provider,
    Venue,
    WeeklySlot,
)
from .services import _UNTRACKED, KIND_OF, _slots_text, diff

BATCH = 500

Slots = list[tuple[int, time, time]]


def _prime_relations(instances: Sequence[models.Model]) -> None:
    """Load every foreign key the history's snapshot will show, one query per model."""
    if not instances:
        return
    field: Any
    for field in instances[0]._meta.concrete_fields:
        if not field.is_relation:
            continue
        missing = [
            obj for obj in instances if getattr(obj, field.attname) and not field.is_cached(obj)
        ]
        if not missing:
            continue
        found = field.related_model._default_manager.in_bulk(
            {getattr(obj, field.attname) for obj in missing}
        )
        for obj in missing:
            field.set_cached_value(obj, found.get(getattr(obj, field.attname)))


def _snapshotter(model) -> Callable[[models.Model], dict[str, str]]:
    """services.snapshot for many listings of one model: the fields and their choices'
    labels worked out once, not once per listing."""
    fields = [
        (str(f.verbose_name), f.name, dict(f.flatchoices) if f.choices else None)
        for f in model._meta.concrete_fields
        if f.name not in _UNTRACKED and not f.name.endswith("_ptr")
    ]

    def take(instance) -> dict[str, str]:
        values = {}
        for label, name, choices in fields:
            value = getattr(instance, name)
            if value is None or value == "":
                values[label] = ""
            elif choices is not None:
                values[label] = str(choices.get(value, value))
            elif isinstance(value, bool):
                values[label] = "Yes" if value else "No"
            else:
                values[label] = str(value)
        return values

    return take


def _before(model, listings: Iterable[models.Model]) -> dict[int, dict[str, str]]:
    """Each saved listing as the database holds it now, for the history's "before"."""
    pks = [listing.pk for listing in listings if listing.pk]
    if not pks:
        return {}
    stored = list(model._default_manager.filter(pk__in=pks))
    _prime_relations(stored)
    take = _snapshotter(model)
    return {obj.pk: take(obj) for obj in stored}


def _check(listing, *, now, by, checked: bool) -> None:
    listing.updated_at = now
    listing.last_verified_at = now
    listing.last_verified_by = by
    if checked:
        return  # the caller has run the field checks on these very instances
    # As services._save_listing: field checks here; relations and constraints the database.
    listing.full_clean(
        exclude=[f.name for f in listing._meta.concrete_fields if f.is_relation],
        validate_unique=False,
        validate_constraints=False,
    )


def _write(
    model, listings: list, *, by, now, history: list[ListingChange], checked: bool = False
) -> None:
    """Insert the new listings and update the changed ones, recording each in history."""
    before = _before(model, listings)
    for listing in listings:
        _check(listing, now=now, by=by, checked=checked)
    new = [listing for listing in listings if listing.pk is None]
    old = [listing for listing in listings if listing.pk is not None]
    model._default_manager.bulk_create(new, batch_size=BATCH)
    fields = [f.name for f in model._meta.concrete_fields if not f.primary_key]
    model._default_manager.bulk_update(old, fields, batch_size=BATCH)
    _prime_relations(listings)
    created_ids = {id(listing) for listing in new}
    take = _snapshotter(model)
    for listing in listings:
        created = id(listing) in created_ids
        changes = diff(before.get(listing.pk, {}), take(listing))
        if created or changes:
            action = ListingChange.Action.CREATED if created else ListingChange.Action.UPDATED
            history.append(_change(listing, action, by=by, changes=changes))


def _change(listing, action, *, by, changes) -> ListingChange:
    return ListingChange(
        actor=by,
        kind=KIND_OF[type(listing)],
        listing_public_id=listing.public_id,
        listing_name=str(listing)[:200],
        action=action,
        changes=changes,
    )


def _locate_all(venues: list[Venue]) -> None:
    """services._locate for many venues: postcode district centres in one query."""
    for venue in venues:
        if venue.postcode:
            venue.postcode = geography.normalise_postcode(venue.postcode)
    wanted = [v for v in venues if v.postcode and (v.latitude is None or v.location_is_approximate)]
    centres = {
        row["outcode"]: row
        for row in Outcode.objects.filter(
            outcode__in={geography.outcode_of(v.postcode) for v in wanted}
        ).values("outcode", "latitude", "longitude")
    }
    areas: dict[str, geography.Point | None] = {}
    for venue in wanted:
        centre = centres.get(geography.outcode_of(venue.postcode))
        if centre:
            venue.latitude, venue.longitude = centre["latitude"], centre["longitude"]
            venue.location_is_approximate = True
            continue
        area = geography.area_of(venue.postcode)
        if area not in areas:
            areas[area] = geography.area_centroid_for(venue.postcode)
        if (point := areas[area]) is not None:
            venue.latitude, venue.longitude = point.latitude, point.longitude
            venue.location_is_approximate = True


def providers_save_many(*, providers: list[Provider], by) -> list[ListingChange]:
    history: list[ListingChange] = []
    _write(Provider, providers, by=by, now=timezone.now(), history=history)
    return history


def venues_save_many(*, venues: list[Venue], by) -> list[ListingChange]:
    history: list[ListingChange] = []
    _locate_all(venues)
    _write(Venue, venues, by=by, now=timezone.now(), history=history)
    return history


class TagChange:
    """What one activity's tags and weekly times become (None: leave that part alone)."""

    def __init__(self, activity, *, current: dict, suitability, accessibility, weekly_slots):
        self.activity = activity
        self.current = current  # column -> set, as the file was checked against
        self.wanted = {
            "suitable_for": suitability,
            "accessibility": accessibility,
            "weekly_times": weekly_slots,
        }


_TAG_MODELS = {
    "suitable_for": (ActivitySuitability, "tag"),
    "accessibility": (ActivityAccessibility, "feature"),
}


def activities_save_many(
    *,
    changes: list[TagChange],
    by,
    checked: bool = False,
    on_batch: Callable[[int], None] | None = None,
) -> list[ListingChange]:
    """Save activities with their tags and weekly times, as services.activity_save does.
    `checked`: the caller has already run the activities' and times' field checks (the
    spreadsheet's plan has), so they are not run twice."""
    history: list[ListingChange] = []
    activities = [change.activity for change in changes]
    for activity in activities:
        if activity.is_free:
            activity.price_full = activity.price_full if activity.price_full == Decimal(0) else None
    for start in range(0, len(activities), BATCH):
        batch = activities[start : start + BATCH]
        _write(Activity, batch, by=by, now=timezone.now(), history=history, checked=checked)
        if on_batch:
            on_batch(len(batch))
    tag_history: dict[int, dict[str, list[str]]] = defaultdict(dict)
    for column, (model, field_name) in _TAG_MODELS.items():
        _replace_tags(changes, column, model, field_name, tag_history)
    _replace_slots(changes, tag_history, checked=checked)
    for change in changes:
        if change.current is not None and tag_history.get(change.activity.pk):
            history.append(
                _change(
                    change.activity,
                    ListingChange.Action.UPDATED,
                    by=by,
                    changes=tag_history[change.activity.pk],
                )
            )
    return history


def _differing(changes: list[TagChange], column: str):
    for change in changes:
        wanted = change.wanted[column]
        if wanted is None:
            continue
        current = (change.current or {}).get(column, set())
        if set(wanted) != current:
            yield change, current, set(wanted)


def _replace_tags(changes, column, model, field_name, tag_history) -> None:
    differing = list(_differing(changes, column))
    if not differing:
        return
    model.objects.filter(activity__in=[c.activity for c, _, _ in differing]).delete()
    model.objects.bulk_create(
        [
            model(activity=change.activity, **{field_name: value})
            for change, _, wanted in differing
            for value in sorted(wanted)
        ],
        batch_size=BATCH,
    )
    labels = dict(model._meta.get_field(field_name).choices)
    title = str(model._meta.verbose_name_plural).capitalize()
    for change, current, wanted in differing:
        tag_history[change.activity.pk][title] = [
            ", ".join(sorted(labels[v] for v in current)),
            ", ".join(sorted(labels[v] for v in wanted)),
        ]


def _replace_slots(changes, tag_history, *, checked: bool) -> None:
    differing = list(_differing(changes, "weekly_times"))
    if not differing:
        return
    WeeklySlot.objects.filter(activity__in=[c.activity for c, _, _ in differing]).delete()
    slots = []
    for change, _, wanted in differing:
        for weekday, start, end in sorted(wanted):
            slot = WeeklySlot(
                activity=change.activity, weekday=weekday, start_time=start, end_time=end
            )
            if not checked:
                slot.full_clean(
                    exclude=["activity"], validate_unique=False, validate_constraints=False
                )
            slots.append(slot)
    WeeklySlot.objects.bulk_create(slots, batch_size=BATCH)
    for change, current, wanted in differing:
        tag_history[change.activity.pk]["Weekly times"] = [
            _slots_text(current),
            _slots_text(wanted),
        ]


def history_record_many(history: list[ListingChange]) -> None:
    ListingChange.objects.bulk_create(history, batch_size=BATCH)
