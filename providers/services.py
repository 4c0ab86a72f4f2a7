"""Operations that change the directory. Each runs in one transaction and records who changed
what in ListingChange; views, the CSV import and the feed importer all come through here."""

from datetime import date, datetime, time
from decimal import Decimal

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from . import geography
from .models import (
    Activity,
    ActivityAccessibility,
    ActivitySuitability,
    ListingChange,
    OneOffSession,
    Provider,
    Venue,
    VenueAccessibility,
    WeeklySlot,
)
from .schedule import format_dated_sessions
from .selectors import upcoming_dated_sessions

KIND_OF = {Provider: "provider", Venue: "venue", Activity: "activity"}
# Fields that are bookkeeping, not content: never shown in the change history.
_UNTRACKED = {"id", "public_id", "created_at", "updated_at", "last_verified_at", "last_verified_by"}


def _display(instance, field) -> str:
    value = getattr(instance, field.name)
    if value is None or value == "":
        return ""
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


def snapshot(instance) -> dict[str, str]:
    """Readable field values, for comparing before and after an edit."""
    return {
        str(field.verbose_name): _display(instance, field)
        for field in instance._meta.concrete_fields
        if field.name not in _UNTRACKED and not field.name.endswith("_ptr")
    }


def diff(before: dict[str, str], after: dict[str, str]) -> dict[str, list[str]]:
    return {
        label: [before.get(label, ""), value]
        for label, value in after.items()
        if before.get(label, "") != value
    }


def listing_change_record(
    *, listing, action, actor=None, system_actor: str = "", changes=None
) -> ListingChange:
    if actor is None and not system_actor:
        raise ValueError("A listing change needs a user or a named system job")
    return ListingChange.objects.create(
        actor=actor,
        system_actor=system_actor,
        kind=KIND_OF[type(listing)],
        listing_public_id=listing.public_id,
        listing_name=str(listing)[:200],
        action=action,
        changes=changes or {},
    )


def _save_listing(
    listing, *, by=None, system_actor="", before=None, verified=True, extra_changes=None
):
    """Validate and save a listing; a person's edit also counts as checking it."""
    now = timezone.now()
    created = listing.pk is None
    listing.updated_at = now
    if verified and by is not None:
        listing.last_verified_at = now
        listing.last_verified_by = by
    # Field checks here; related rows and constraints are enforced by the database (forms have
    # already explained them to people), which saves a dozen queries per listing on imports.
    listing.full_clean(
        exclude=[f.name for f in listing._meta.concrete_fields if f.is_relation],
        validate_unique=False,
        validate_constraints=False,
    )
    listing.save()
    changes = diff(before or {}, snapshot(listing))
    changes.update(extra_changes or {})
    if created:
        action = ListingChange.Action.IMPORTED if system_actor else ListingChange.Action.CREATED
    else:
        action = ListingChange.Action.UPDATED
    if created or changes:
        listing_change_record(
            listing=listing, action=action, actor=by, system_actor=system_actor, changes=changes
        )
    return listing


@transaction.atomic(savepoint=False)
def provider_save(*, provider: Provider, by=None, system_actor: str = "") -> Provider:
    before = snapshot(Provider.objects.get(pk=provider.pk)) if provider.pk else {}
    return _save_listing(provider, by=by, system_actor=system_actor, before=before)


def _locate(venue: Venue) -> None:
    """Fill coordinates from the postcode district (or, for a district not in the table,
    the postcode area) when the venue has none of its own."""
    if venue.postcode and (venue.latitude is None or venue.location_is_approximate):
        point = geography.centroid_for(venue.postcode) or geography.area_centroid_for(
            venue.postcode
        )
        if point:
            venue.latitude, venue.longitude = point.latitude, point.longitude
            venue.location_is_approximate = True


def _set_tags(owner, related_name, model, field, values, fk_name, *, is_new=False):
    # A listing created in this call has no tags yet: no need to ask the database.
    current = set() if is_new else set(getattr(owner, related_name).values_list(field, flat=True))
    wanted = set(values)
    if current == wanted:
        return {}
    if current - wanted:
        getattr(owner, related_name).filter(**{f"{field}__in": current - wanted}).delete()
    model.objects.bulk_create(
        [model(**{fk_name: owner, field: value}) for value in wanted - current]
    )
    labels = dict(model._meta.get_field(field).choices)
    return {
        str(model._meta.verbose_name_plural).capitalize(): [
            ", ".join(sorted(labels[v] for v in current)),
            ", ".join(sorted(labels[v] for v in wanted)),
        ]
    }


@transaction.atomic(savepoint=False)
def venue_save(*, venue: Venue, accessibility=None, by=None, system_actor: str = "") -> Venue:
    before = snapshot(Venue.objects.get(pk=venue.pk)) if venue.pk else {}
    if venue.postcode:
        venue.postcode = geography.normalise_postcode(venue.postcode)
    _locate(venue)
    _save_listing(venue, by=by, system_actor=system_actor, before=before)
    if accessibility is not None:
        changes = _set_tags(
            venue, "accessibility", VenueAccessibility, "feature", accessibility, "venue"
        )
        if changes and before:
            listing_change_record(
                listing=venue,
                action=ListingChange.Action.UPDATED,
                actor=by,
                system_actor=system_actor,
                changes=changes,
            )
    return venue


def _slots_text(slots) -> str:
    return ", ".join(
        f"{WeeklySlot(weekday=d).get_weekday_display()} {s:%H:%M}-{e:%H:%M}"
        for d, s, e in sorted(slots)
    )


@transaction.atomic(savepoint=False)
def activity_save(
    *,
    activity: Activity,
    suitability=None,
    accessibility=None,
    weekly_slots: list[tuple[int, time, time]] | None = None,
    dated_sessions: list[tuple[date, time, time]] | None = None,
    by=None,
    system_actor: str = "",
) -> Activity:
    """Save an activity with its tags, weekly times and dated sessions (None leaves a part
    unchanged). Dated sessions entered here replace the upcoming ones entered here before;
    past sessions and those from a feed are kept."""
    before = snapshot(Activity.objects.get(pk=activity.pk)) if activity.pk else {}
    if activity.is_free:
        activity.price_full = activity.price_full if activity.price_full == Decimal(0) else None
    _save_listing(activity, by=by, system_actor=system_actor, before=before)
    changes: dict[str, list[str]] = {}
    if suitability is not None:
        changes |= _set_tags(
            activity, "suitability", ActivitySuitability, "tag", suitability, "activity"
        )
    if accessibility is not None:
        changes |= _set_tags(
            activity, "accessibility", ActivityAccessibility, "feature", accessibility, "activity"
        )
    if weekly_slots is not None:
        current = {(s.weekday, s.start_time, s.end_time) for s in activity.weekly_slots.all()}
        wanted = set(weekly_slots)
        if current != wanted:
            activity.weekly_slots.all().delete()
            for weekday, start, end in sorted(wanted):
                slot = WeeklySlot(
                    activity=activity, weekday=weekday, start_time=start, end_time=end
                )
                slot.full_clean()
                slot.save()
            changes["Weekly times"] = [_slots_text(current), _slots_text(wanted)]
    if dated_sessions is not None:
        changes |= _replace_dated_sessions(activity, dated_sessions)
    if changes and before:
        listing_change_record(
            listing=activity,
            action=ListingChange.Action.UPDATED,
            actor=by,
            system_actor=system_actor,
            changes=changes,
        )
    return activity


@transaction.atomic(savepoint=False)
def listing_verify(*, listing, by) -> None:
    """'Mark as checked': the listing is still right as it is."""
    type(listing).objects.filter(pk=listing.pk).update(
        last_verified_at=timezone.now(), last_verified_by=by
    )
    listing_change_record(listing=listing, action=ListingChange.Action.VERIFIED, actor=by)


@transaction.atomic(savepoint=False)
def listing_archive(*, listing, by=None, system_actor: str = "", removed_by_feed=False) -> None:
    """Hide a listing from search and clinicians; kept for history and past referrals."""
    if listing.archived_at is not None:
        return
    now = timezone.now()
    type(listing).objects.filter(pk=listing.pk).update(archived_at=now, updated_at=now)
    listing.archived_at = now
    if isinstance(listing, Provider):
        for child_model in (Venue, Activity):
            child_model.objects.filter(provider=listing, archived_at__isnull=True).update(
                archived_at=now
            )
    elif isinstance(listing, Venue):
        Activity.objects.filter(venue=listing, archived_at__isnull=True).update(
            archived_at=now, updated_at=now
        )
    action = (
        ListingChange.Action.REMOVED_BY_FEED if removed_by_feed else ListingChange.Action.ARCHIVED
    )
    listing_change_record(listing=listing, action=action, actor=by, system_actor=system_actor)


def _replace_dated_sessions(activity: Activity, sessions) -> dict[str, list[str]]:
    upcoming = upcoming_dated_sessions(activity)
    if set(upcoming) == set(sessions):
        return {}
    OneOffSession.objects.filter(
        activity=activity, external_id="", starts_at__gte=_start_of_today()
    ).delete()
    for day, start, end in sessions:
        session = OneOffSession(
            activity=activity,
            starts_at=timezone.make_aware(datetime.combine(day, start)),
            ends_at=timezone.make_aware(datetime.combine(day, end)),
        )
        session.full_clean()
        session.save()
    return {"Dated sessions": [format_dated_sessions(upcoming), format_dated_sessions(sessions)]}


def _start_of_today() -> datetime:
    return timezone.make_aware(datetime.combine(timezone.localdate(), time(0)))


def archived_with(listing) -> dict[str, QuerySet]:
    """The venues and activities archived in the same moment as this provider or venue (so
    by archiving it), which restoring it can bring back; not those archived on their own."""
    if listing.archived_at is None or isinstance(listing, Activity):
        return {}
    parent = {"provider": listing} if isinstance(listing, Provider) else {"venue": listing}
    together = {"archived_at": listing.archived_at, **parent}
    found: dict[str, QuerySet] = {"activities": Activity.objects.filter(**together)}
    if isinstance(listing, Provider):
        found["venues"] = Venue.objects.filter(**together)
    return found


@transaction.atomic(savepoint=False)
def listing_restore(*, listing, by, with_archived_together: bool = False) -> None:
    now = timezone.now()
    if with_archived_together:
        for children in archived_with(listing).values():
            for child in children:
                children.model.objects.filter(pk=child.pk).update(archived_at=None, updated_at=now)
                listing_change_record(listing=child, action=ListingChange.Action.RESTORED, actor=by)
    type(listing).objects.filter(pk=listing.pk).update(archived_at=None, updated_at=now)
    listing.archived_at = None
    listing_change_record(listing=listing, action=ListingChange.Action.RESTORED, actor=by)
