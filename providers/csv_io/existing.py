"""What a file is matched against: the live providers, venues and activities the user may
change, loaded in a fixed handful of queries for the whole file, never one per row."""

import contextlib
import uuid

from django.db.models import Prefetch, Q

from providers.csv_io.columns import name_key
from providers.csv_io.reading import Table
from providers.models import Activity, Provider, Source, Venue, WeeklySlot
from providers.scopes import editable
from talkingmoves.accounts.models import Role


def new_provider_owner(user) -> dict | None:
    """Who owns a provider first named in a file; None if this user may not add providers
    (the same rule as adding one by hand)."""
    if user.role == Role.PARTNERSHIP_STAFF:
        return {"partnership_id": user.organisation_id}
    if user.role == Role.SERVICE_LEAD:
        return {"organisation_id": user.organisation_id}  # an in-house offer
    return None  # provider staff: their provider is set up by their partnership


class ExistingListings:
    def __init__(self, *, table: Table, user):
        self.user = user
        # By name, the oldest listing wins when a name is used twice.
        self.providers_by_pk = {p.pk: p for p in editable(user, Provider).live().order_by("-pk")}
        self.providers_by_name = {name_key(p.name): p for p in self.providers_by_pk.values()}
        self.venues_by_pk, self.venues_by_name = {}, {}
        for venue in editable(user, Venue).live().order_by("-pk"):
            self.venues_by_pk[venue.pk] = venue
            named = (venue.provider_id, name_key(venue.name))
            self.venues_by_name[(*named, venue.postcode)] = venue
            self.venues_by_name[(*named, None)] = venue  # for a file with no postcode column
        self._load_activities(table)

    def _load_activities(self, table: Table) -> None:
        public_ids, external_ids = set(), set()
        for _, cells in table.rows:
            with contextlib.suppress(ValueError):
                public_ids.add(uuid.UUID(cells.get("activity_id", "")))
            if cells.get("external_id"):
                external_ids.add(cells["external_id"])
        self.by_public_id: dict[uuid.UUID, Activity] = {}
        self.by_external_id: dict[str, list[Activity]] = {}
        if public_ids or external_ids:
            found = (
                editable(self.user, Activity)
                .live()
                .filter(
                    Q(public_id__in=public_ids) | Q(source=Source.CSV, external_id__in=external_ids)
                )
                .select_related("activity_type", "provider", "venue")
                .prefetch_related(
                    "suitability",
                    "accessibility",
                    Prefetch("weekly_slots", queryset=WeeklySlot.objects.order_by()),
                )
            )
            for activity in found:
                self.by_public_id[activity.public_id] = activity
                if activity.source == Source.CSV and activity.external_id in external_ids:
                    self.by_external_id.setdefault(activity.external_id, []).append(activity)
        self.existing_names = {
            (provider_id, venue_id, name_key(name))
            for provider_id, venue_id, name in editable(self.user, Activity)
            .live()
            .values_list("provider_id", "venue_id", "name")
        }
