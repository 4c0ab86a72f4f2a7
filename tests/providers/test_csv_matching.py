"""Matching a file's rows to the directory's providers, venues and activities, and whose
listings each user's file may add or change (providers.csv_io)."""

from datetime import time
from decimal import Decimal

import pytest

from providers import csv_io
from providers.csv_io import plan_import
from providers.models import (
    Activity,
    ListingChange,
    Provider,
    Source,
)
from tests.factories import ActivePartnershipFactory
from tests.providers.factories import ActivityFactory, ProviderFactory, VenueFactory
from tests.providers.test_csv_support import (
    counts,
    import_rows,
    online_row,
    problems_of,
    table_of,
    walk_row,
)

pytestmark = pytest.mark.usefixtures("uploads_in_tmp")


# --- Matching providers, venues and activities -----------------------------------------------


def test_rows_share_providers_and_venues_by_name_and_postcode(partnership_staff):
    rows = [
        walk_row(),
        walk_row(activity_name="Walk 2", provider_name="riverside  LEISURE", postcode="ls1 4ap"),
        walk_row(activity_name="Walk 3", venue_name="Riverside Park", postcode="LS2 7AB"),
    ]
    import_rows(rows, partnership_staff)
    provider = Provider.objects.get()
    assert provider.name == "Riverside Leisure"
    assert provider.partnership == partnership_staff.organisation
    assert sorted(provider.venues.values_list("postcode", flat=True)) == ["LS1 4AP", "LS2 7AB"]
    assert provider.activities.count() == 3


def test_existing_providers_and_venues_are_reused(partnership_staff):
    provider = ProviderFactory(partnership=partnership_staff.organisation, name="Riverside Leisure")
    venue = VenueFactory(provider=provider, name="Riverside Park", postcode="LS1 4AP")
    result = import_rows([walk_row(provider_email=provider.email)], partnership_staff)
    assert result["new_providers"] == 0
    assert result["new_venues"] == 0
    activity = Activity.objects.get()
    assert (activity.provider, activity.venue) == (provider, venue)
    assert activity.source == Source.CSV
    assert activity.last_verified_by == partnership_staff


def test_another_partnerships_provider_of_the_same_name_is_not_touched(partnership_staff):
    theirs = ProviderFactory(name="Riverside Leisure", partnership=ActivePartnershipFactory())
    before = (theirs.email, theirs.venues.count(), theirs.activities.count())
    import_rows([walk_row(provider_email="new@example.org")], partnership_staff)
    theirs.refresh_from_db()
    assert (theirs.email, theirs.venues.count(), theirs.activities.count()) == before
    ours = Provider.objects.exclude(pk=theirs.pk).get()
    assert ours.partnership == partnership_staff.organisation


def test_a_new_activity_with_the_name_of_an_existing_one_is_a_warning(partnership_staff):
    provider = ProviderFactory(partnership=partnership_staff.organisation, name="Riverside Leisure")
    venue = VenueFactory(provider=provider, name="Riverside Park", postcode="LS1 4AP")
    ActivityFactory(venue=venue, name="Wellbeing walk")
    plan = plan_import(
        table=table_of([walk_row(provider_email=provider.email)]), user=partnership_staff
    )
    assert plan.problems == []
    assert [(w.row, w.column) for w in plan.warnings] == [(2, "activity_name")]
    assert "already has an activity called 'Wellbeing walk'" in plan.warnings[0].message


def test_a_postcode_in_an_unknown_district_is_a_warning(partnership_staff):
    plan = plan_import(table=table_of([walk_row(postcode="ZZ9 9ZZ")]), user=partnership_staff)
    assert plan.problems == []
    [warning] = plan.warnings
    assert (warning.row, warning.column) == (2, "postcode")
    assert "We do not know where ZZ9 9ZZ is" in warning.message


def test_external_id_updates_the_activity_from_an_earlier_import(partnership_staff):
    import_rows([walk_row(external_id="W-1"), online_row(external_id="Y-1")], partnership_staff)
    walk = Activity.objects.get(external_id="W-1")
    changed = walk_row(
        external_id="W-1",
        free="no",
        price_full="2.50",
        weekly_times="Tue 10:00-11:00; Fri 09:00-10:00",
    )
    result = import_rows([changed, online_row(external_id="Y-1")], partnership_staff)
    assert (result["new"], result["changed"], result["unchanged"]) == (0, 1, 1)
    walk.refresh_from_db()
    assert Activity.objects.count() == 2
    assert walk.price_full == Decimal("2.50")
    assert [(s.weekday, s.start_time) for s in walk.weekly_slots.all()] == [
        (1, time(10)),
        (4, time(9)),
    ]
    change = ListingChange.objects.filter(listing_public_id=walk.public_id).first()
    assert change.action == ListingChange.Action.UPDATED
    assert change.actor == partnership_staff


def test_activity_id_updates_a_listing_entered_by_hand(partnership_staff):
    activity = ActivityFactory(venue__provider__partnership=partnership_staff.organisation)
    row = csv_io.export_row(activity)
    row["activity_name"] = "Renamed walk"
    row["external_id"] = "OUR-7"
    result = import_rows([row], partnership_staff)
    assert (result["new"], result["changed"]) == (0, 1)
    activity.refresh_from_db()
    assert activity.name == "Renamed walk"
    assert (activity.source, activity.external_id) == (Source.CSV, "OUR-7")


def test_a_listing_from_a_feed_is_changed_in_the_feed(partnership_staff):
    activity = ActivityFactory(
        venue__provider__partnership=partnership_staff.organisation, source=Source.OPENACTIVE
    )
    row = csv_io.export_row(activity)
    assert problems_of([row], partnership_staff) == []  # unchanged is fine
    row["activity_name"] = "Renamed"
    [(_, column, message)] = problems_of([row], partnership_staff)
    assert column == "activity_name"
    assert "comes from an OpenActive feed" in message


# --- Provider staff: only their own provider's listings --------------------------------------


def test_provider_staff_import_for_their_own_provider(provider_staff):
    own = ProviderFactory(name="Riverside Leisure Centre", organisation=provider_staff.organisation)
    import_rows(
        [walk_row(provider_name="Riverside leisure centre", provider_email=own.email)],
        provider_staff,
    )
    assert own.activities.count() == 1
    assert Provider.objects.count() == 1


def test_provider_staff_cannot_add_or_change_other_providers(provider_staff, partnership):
    ProviderFactory(name="Riverside Leisure Centre", organisation=provider_staff.organisation)
    other = ProviderFactory(name="Hillside Gym", partnership=partnership)
    other_activity = ActivityFactory(venue__provider=other, name="Spin")
    before = counts()
    row = csv_io.export_row(other_activity)
    row["activity_name"] = "Hijacked"
    problems = problems_of(
        [walk_row(provider_name="Hillside Gym"), row],
        provider_staff,
    )
    assert problems == [
        (
            2,
            "provider_name",
            "'Hillside Gym' is not one of your providers. You can only import activities for "
            "Riverside Leisure Centre",
        ),
        (3, "provider_name", problems[1][2]),
        (3, "activity_id", problems[2][2]),
    ]
    assert "is not one of your live activities" in problems[2][2]
    with pytest.raises(csv_io.ImportFailed):
        import_rows([walk_row(provider_name="Hillside Gym"), row], provider_staff)
    assert counts() == before
    other_activity.refresh_from_db()
    assert other_activity.name == "Spin"


def test_a_service_lead_adds_in_house_offers(lead):
    import_rows([walk_row(provider_name="Riverside Wellbeing Walks")], lead)
    provider = Provider.objects.get()
    assert (provider.organisation, provider.partnership) == (lead.organisation, None)
    assert provider.is_in_house
