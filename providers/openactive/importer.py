"""Applies RPDE items to the directory, one savepoint per item, through providers.services so
every change is in the listing history under "OpenActive import: <feed name>"."""

import logging
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import DatabaseError, DataError, IntegrityError, transaction
from django.db.models import Prefetch

from providers.models import (
    Activity,
    ListingChange,
    OneOffSession,
    OpenActiveFeed,
    Provider,
    Source,
    Venue,
)
from providers.openactive.activities import ActivityList
from providers.openactive.compare import (
    differs as _differs,
)
from providers.openactive.compare import (
    last_action as _last_action,
)
from providers.openactive.compare import (
    same_sessions as _same_sessions,
)
from providers.openactive.compare import (
    series_sessions as _series_sessions,
)
from providers.openactive.compare import (
    slots as _slots,
)
from providers.openactive.kinds import LISTING_TYPES, SESSION_TYPES
from providers.openactive.mapping import (
    MappedListing,
    ProviderFields,
    VenueFields,
    item_type,
    map_listing,
    map_session,
)
from providers.openactive.rpde import Outcome, RpdeItem, is_newer, published_at
from providers.openactive.schedules import SERIES_SESSION_PREFIX
from providers.openactive.sessions import (
    series_sessions_sync,
    standalone_session_delete,
    standalone_session_save,
)
from providers.openactive.values import ItemProblem, problem_text, short_key
from providers.services import (
    activity_save,
    listing_archive,
    provider_save,
    venue_save,
)
from talkingmoves.vocabulary.access_needs import OPENACTIVE_ACCESSIBILITY
from talkingmoves.vocabulary.activities import SuitableFor

# Tags a feed can express; the others (mental-health aware, step-free...) are the officer's.
FEED_SUITABILITY = frozenset(
    {
        SuitableFor.BEGINNERS,
        SuitableFor.WOMEN_ONLY,
        SuitableFor.MEN_ONLY,
        SuitableFor.OVER_50S,
        SuitableFor.AGE_18_25,
    }
)
FEED_ACCESSIBILITY = frozenset(OPENACTIVE_ACCESSIBILITY.values())
MAX_REJECTIONS_KEPT = 500
UNREADABLE = (
    "TalkingMoves could not read this item (an error on our side, logged for the technical team)"
)

logger = logging.getLogger(__name__)


@dataclass
class Tally:
    added: int = 0
    updated: int = 0
    removed: int = 0
    rejected: int = 0
    rejections: list[dict] = field(default_factory=list)

    def count(self, outcome: Outcome) -> None:
        if outcome is not Outcome.UNCHANGED:
            setattr(self, outcome.value, getattr(self, outcome.value) + 1)

    def reject(self, item: RpdeItem, problem: str) -> None:
        self.rejected += 1
        kind = item_type(item.data or {}, item.kind)
        self.rejections.append({"id": item.id, "kind": kind, "problem": problem})


class FeedImporter:
    def __init__(self, *, feed: OpenActiveFeed):
        self.feed = feed
        self.actor = f"OpenActive import: {feed.name}"[:100]
        self.activity_list = ActivityList.load()
        # Providers and venues already saved in this run: most items share a few of them.
        self._providers: dict[str, Provider] = {}
        self._venues: dict[str, Venue] = {}
        self._activities: dict[str, Activity] = {}
        self._page_keys: set[str] = set()
        self._published = None

    def import_page(self, items: list[RpdeItem]) -> Tally:
        tally = Tally()
        self._load_page_activities([short_key(item.id) for item in items])
        for item in items:
            try:
                with transaction.atomic():
                    outcome = self._import(item)
            except (ItemProblem, ValidationError, IntegrityError, DataError) as error:
                self._forget(item)
                tally.reject(item, problem_text(error))
            except DatabaseError:
                raise  # the database itself is in trouble: fail the run, keep the page
            except Exception:
                # A shape of data we did not foresee: refuse this item rather than leave the
                # feed stuck on this page for ever.
                logger.exception(
                    "Could not import OpenActive item %s of feed %s", item.id, self.feed.pk
                )
                self._forget(item)
                tally.reject(item, UNREADABLE)
            else:
                tally.count(outcome)
        return tally

    def _forget(self, item: RpdeItem) -> None:
        """The item's savepoint is gone, so are any objects cached while making it."""
        self._providers.clear()
        self._venues.clear()
        self._activities.pop(short_key(item.id), None)
        self._page_keys.discard(short_key(item.id))

    def _load_page_activities(self, keys: list[str]) -> None:
        """The page's existing activities with what an update compares: a few queries a page
        rather than several an item."""
        series_sessions = OneOffSession.objects.filter(
            external_id__startswith=SERIES_SESSION_PREFIX
        )
        activities = Activity.objects.filter(feed=self.feed, external_id__in=keys).prefetch_related(
            "suitability",
            "accessibility",
            "weekly_slots",
            Prefetch("one_off_sessions", queryset=series_sessions, to_attr="series_sessions"),
        )
        self._activities = {}
        for activity in activities:
            activity.feed = self.feed
            self._activities[activity.external_id] = activity
        self._page_keys = set(keys)

    def _import(self, item: RpdeItem) -> Outcome:
        if item.state == "deleted":
            return self._delete(item)
        what = item_type(item.data, item.kind)
        if what in SESSION_TYPES:
            return self._import_session(item, what)
        if what not in LISTING_TYPES:
            raise ItemProblem(
                f"Items of kind '{what}' are not things a person can take part in, so they "
                "are not listed"
            )
        activity = self._activity(item.id)
        # An unchanged item is skipped, unless its listing was withdrawn with its feed, which
        # has been registered again since.
        if (
            activity is not None
            and not activity.is_archived
            and not is_newer(item.modified, activity.source_modified)
        ):
            return Outcome.UNCHANGED
        mapped = map_listing(
            item_id=item.id, kind=item.kind, data=item.data, activities=self.activity_list
        )
        return self._save_listing(item, activity, mapped)

    def _import_session(self, item: RpdeItem, what: str) -> Outcome:
        """A ScheduledSession or Slot joins its listing; one that embeds its listing whole
        (a "ScheduledSession.SessionSeries" feed) lists that too when it is not listed yet."""
        mapped = map_session(data=item.data, kind=what)
        try:
            return standalone_session_save(
                feed=self.feed, actor=self.actor, item_id=item.id, mapped=mapped
            )
        except ItemProblem:
            if mapped.parent is None:
                raise
        parent = RpdeItem(
            id=mapped.series_keys[0],
            state="updated",
            kind=item_type(mapped.parent, "SessionSeries"),
            modified=item.modified,
            data=mapped.parent,
        )
        if item_type(parent.data, parent.kind) not in LISTING_TYPES:
            raise ItemProblem(f"{what} belongs to a '{parent.kind}', which cannot be listed")
        listing = map_listing(
            item_id=parent.id, kind=parent.kind, data=parent.data, activities=self.activity_list
        )
        self._save_listing(parent, self._activity(parent.id), listing)
        standalone_session_save(feed=self.feed, actor=self.actor, item_id=item.id, mapped=mapped)
        return Outcome.ADDED

    # --- SessionSeries and FacilityUse ----------------------------------------------------

    def _activity(self, item_id: str) -> Activity | None:
        key = short_key(item_id)
        if key not in self._activities and key not in self._page_keys:
            found = Activity.objects.filter(feed=self.feed, external_id=key).first()
            if found is None:
                return None
            self._activities[key] = found
        return self._activities.get(key)

    def _save_listing(self, item: RpdeItem, activity, mapped: MappedListing) -> Outcome:
        self._published = published_at(item)
        provider = self._save_provider(mapped.provider)
        venue = self._save_venue(mapped.venue, provider) if mapped.venue else None
        fields = mapped.activity
        values = {
            "provider_id": provider.pk,
            "venue_id": venue.pk if venue else None,
            "name": fields.name,
            "activity_type_id": fields.activity_type.pk,
            "description": fields.description,
            "delivery_mode": fields.delivery_mode,
            "online_url": fields.online_url,
            "feed_activity_label": fields.activity_label,
            "feed_item_uri": fields.item_uri,
            "is_free": fields.is_free,
            "price_full": fields.price_full,
            "price_concession": fields.price_concession,
            "capacity": fields.capacity,
            "takes_referrals": False,  # feeds are signposting only
        }
        created = activity is None
        if created:
            activity = Activity(
                feed=self.feed, external_id=short_key(item.id), source=Source.OPENACTIVE
            )
            suitability, accessibility = fields.suitability, fields.accessibility
            current_sessions = {}
        else:
            current_tags = {row.tag for row in activity.suitability.all()}
            current_features = {row.feature for row in activity.accessibility.all()}
            suitability = (current_tags - FEED_SUITABILITY) | fields.suitability
            accessibility = (current_features - FEED_ACCESSIBILITY) | fields.accessibility
            current_sessions = {
                session.external_id: session for session in _series_sessions(activity)
            }
            if (
                activity.is_archived
                and _last_action(activity) == ListingChange.Action.REMOVED_BY_FEED
            ):
                values["archived_at"] = None  # back in the feed after being removed from it
            unchanged = (
                not _differs(activity, values)
                and (current_tags, current_features) == (suitability, accessibility)
                and _slots(activity) == set(fields.weekly_slots)
                and (fields.sessions is None or _same_sessions(current_sessions, fields.sessions))
            )
            if unchanged:
                # Only something we do not show changed (often the places left): note the
                # new marker so the item is not looked at again, without a history entry.
                activity.source_modified = item.modified[:100]
                activity.last_verified_at = published_at(item)
                Activity.objects.filter(pk=activity.pk).update(
                    source_modified=activity.source_modified,
                    last_verified_at=activity.last_verified_at,
                )
                return Outcome.UNCHANGED
        for name, value in values.items():
            setattr(activity, name, value)
        # The objects, not just their ids, so the change history needs no queries to name them.
        activity.provider, activity.venue = provider, venue
        activity.activity_type = fields.activity_type
        activity.source_modified = item.modified[:100]
        # "Last checked" is when the publisher last published the item.
        activity.last_verified_at = self._published
        try:
            activity_save(
                activity=activity,
                suitability=sorted(suitability),
                accessibility=sorted(accessibility),
                weekly_slots=list(fields.weekly_slots),
                system_actor=self.actor,
            )
        except ValidationError as error:
            raise ItemProblem(problem_text(error, "Activity")) from None
        if fields.sessions is not None:
            series_sessions_sync(
                activity=activity,
                current=current_sessions,
                sessions=fields.sessions,
                actor=self.actor,
                record=not created,
            )
        activity._prefetched_objects_cache = {}  # stale now; a repeat of the item re-reads
        activity.series_sessions = None
        self._activities[activity.external_id] = activity
        return Outcome.ADDED if created else Outcome.UPDATED

    def _save_provider(self, fields: ProviderFields) -> Provider:
        provider = self._providers.get(fields.key)
        if provider is None:
            provider = Provider.objects.filter(feed=self.feed, external_id=fields.key).first()
        values = {
            "name": fields.name,
            "description": fields.description,
            "website": fields.website,
            "email": fields.email,
            "phone": fields.phone,
        }
        if provider is None:
            provider = Provider(
                feed=self.feed,
                external_id=fields.key,
                source=Source.OPENACTIVE,
                partnership=self.feed.partnership,
            )
        elif not _differs(provider, values):
            self._providers[fields.key] = provider
            return provider
        for name, value in values.items():
            setattr(provider, name, value)
        provider.last_verified_at = self._published
        try:
            provider_save(provider=provider, system_actor=self.actor)
        except ValidationError as error:
            raise ItemProblem(problem_text(error, "Organization")) from None
        self._providers[fields.key] = provider
        return provider

    def _save_venue(self, fields: VenueFields, provider: Provider) -> Venue:
        venue = self._venues.get(fields.key)
        if venue is None:
            venue = Venue.objects.filter(feed=self.feed, external_id=fields.key).first()
        values = {
            "provider_id": provider.pk,
            "name": fields.name,
            "address_line_1": fields.address_line_1,
            "town": fields.town,
            "postcode": fields.postcode,
        }
        if fields.latitude is not None:
            values.update(
                latitude=fields.latitude, longitude=fields.longitude, location_is_approximate=False
            )
        elif venue is None or not (
            venue.location_is_approximate and venue.postcode == fields.postcode
        ):
            # Without coordinates, venue_save places the venue at its postcode district.
            values.update(latitude=None, longitude=None, location_is_approximate=False)
        if venue is None:
            venue = Venue(feed=self.feed, external_id=fields.key, source=Source.OPENACTIVE)
        elif not _differs(venue, values):
            self._venues[fields.key] = venue
            return venue
        for name, value in values.items():
            setattr(venue, name, value)
        venue.provider = provider
        venue.last_verified_at = self._published
        try:
            venue_save(venue=venue, system_actor=self.actor)
        except ValidationError as error:
            raise ItemProblem(problem_text(error, "Place")) from None
        self._venues[fields.key] = venue
        return venue

    # --- deleted items ----------------------------------------------------------------------

    def _delete(self, item: RpdeItem) -> Outcome:
        if item.kind.split(".")[0] == "ScheduledSession":
            return standalone_session_delete(feed=self.feed, actor=self.actor, item_id=item.id)
        activity = self._activity(item.id)
        if activity is None or activity.is_archived:
            return Outcome.UNCHANGED
        listing_archive(listing=activity, system_actor=self.actor, removed_by_feed=True)
        return Outcome.REMOVED
