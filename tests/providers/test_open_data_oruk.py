"""The Open Referral UK API's services: valid against the ORUK 3.0 schemas, our listings
mapped onto the profile, empty fields left out, and never in-house offers or archived
listings."""

import pytest
from django.utils import timezone

from tests.providers.factories import ActivityFactory, ProviderFactory, VenueFactory, activity_type
from tests.providers.open_data_fixtures import (
    full_activity,
    in_house_activity,
    oruk_validator,
    schema_errors,
)
from tests.providers.open_data_fixtures.oruk import SERVICES, detail_url, ids

pytestmark = pytest.mark.django_db

# --- Shape: valid against the profile's schemas ---------------------------------------


def test_service_list_items_are_valid_oruk_services(client):
    full_activity()
    ActivityFactory(description="", venue=VenueFactory(provider=ProviderFactory(email="")))

    response = client.get(SERVICES)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    contents = response.json()["contents"]
    assert len(contents) == 2
    validator = oruk_validator("service_list.json")
    for item in contents:
        assert schema_errors(validator, item) == []


def test_service_detail_is_a_valid_fully_nested_oruk_service(client):
    activity = full_activity()

    response = client.get(detail_url(activity))

    assert response.status_code == 200
    assert schema_errors(oruk_validator("service.json"), response.json()) == []


def test_service_detail_maps_our_listing_onto_the_profile(client):
    activity = full_activity()
    provider, venue = activity.provider, activity.venue

    service = client.get(detail_url(activity)).json()

    assert service["id"] == str(activity.public_id)
    assert service["name"] == "Walking for wellbeing"
    assert service["status"] == "active"
    assert service["url"] == provider.website
    assert service["email"] == provider.email
    assert service["minimum_age"] == 50
    assert "maximum_age" not in service
    assert service["last_modified"].endswith("Z")
    assert service["organization"] == {
        "id": str(provider.public_id),
        "name": "Riverside Leisure Trust",
        "description": "Leisure centres and parks across Riverside.",
        "email": provider.email,
        "website": provider.website,
    }
    [at_venue] = service["service_at_locations"]
    location = at_venue["location"]
    assert location["id"] == str(venue.public_id)
    assert location["location_type"] == "physical"
    assert (location["latitude"], location["longitude"]) == (53.7974, -1.5438)
    [address] = location["addresses"]
    assert address["address_1"] == "1 Park Road, Holbeck"
    assert address["city"] == "Leeds"
    assert address["state_province"] == "Leeds"  # the district's local authority area
    assert address["postal_code"] == "LS1 4AP"
    assert address["country"] == "GB"
    assert {item.get("description") for item in location["accessibility"]} >= {
        "Step-free access",
        "Accessible toilet",
    }
    assert {"details": "Lift to all floors"}.items() <= location["accessibility"][-1].items()


def test_weekly_times_become_rrule_schedules_and_only_upcoming_dated_sessions_show(client):
    activity = full_activity()

    schedules = client.get(detail_url(activity)).json()["schedules"]

    weekly = [s for s in schedules if "valid_from" not in s]
    dated = [s for s in schedules if "valid_from" in s]
    assert [(s["freq"], s["byday"], s["opens_at"], s["closes_at"]) for s in weekly] == [
        ("WEEKLY", "SA", "09:30", "11:00"),
        ("WEEKLY", "TU,TH", "10:00", "11:00"),
    ]
    assert weekly[1]["description"] == "Every Tuesday and Thursday, 10:00 to 11:00 (UK time)"
    assert len(dated) == 1  # the past session is not listed
    session = activity.one_off_sessions.filter(ends_at__gte=timezone.now()).get()
    local_start = timezone.localtime(session.starts_at)
    assert dated[0]["valid_from"] == dated[0]["valid_to"] == f"{local_start:%Y-%m-%d}"
    assert dated[0]["opens_at"] == f"{local_start:%H:%M}"
    assert all(s["attending_type"] == "In person" for s in schedules)


def test_costs_are_in_pounds_and_a_free_activity_says_so(client):
    priced = full_activity()
    free = ActivityFactory(is_free=True)

    priced_costs = client.get(detail_url(priced)).json()["cost_options"]
    free_costs = client.get(detail_url(free)).json()["cost_options"]

    assert [(c["option"], c["amount"], c["amount_description"]) for c in priced_costs] == [
        ("Full price", 4.5, "£4.50 a session"),
        ("Concession", 2, "£2.00 a session"),
    ]
    assert [(c["option"], c["amount"]) for c in free_costs] == [("Free", 0)]


def test_activity_type_suitability_and_accessibility_are_taxonomy_attributes(client):
    activity = full_activity()
    walking = activity_type("Walking")

    attributes = client.get(detail_url(activity)).json()["attributes"]

    terms = {a["taxonomy_term"]["name"]: a for a in attributes}
    activity_term = terms["Walking"]["taxonomy_term"]
    assert activity_term["id"] == walking.identifier
    assert activity_term["taxonomy"] == "OpenActive Activity List"
    assert activity_term["term_uri"] == walking.uri
    assert terms["Walking"]["link_type"] == "activity_type"
    assert terms["Women only"]["link_type"] == "eligibility"
    assert terms["Beginners"]["link_type"] == "audience"
    mental_health = terms["Mental health issues"]["taxonomy_term"]
    assert mental_health["taxonomy"] == "OpenActive Accessibility Support"
    assert mental_health["term_uri"].startswith("https://openactive.io/accessibility-support#")
    assert terms["Hearing loop"]["taxonomy_term"]["taxonomy"] == "TalkingMoves accessibility"


def test_online_activity_has_a_virtual_location_only(client):
    activity = ActivityFactory(online=True)

    service = client.get(detail_url(activity)).json()

    assert [at["location"]["location_type"] for at in service["service_at_locations"]] == [
        "virtual"
    ]
    assert schema_errors(oruk_validator("service.json"), service) == []


def test_approximate_coordinates_are_not_published(client):
    venue = VenueFactory(location_is_approximate=True)
    activity = ActivityFactory(venue=venue)

    location = client.get(detail_url(activity)).json()["service_at_locations"][0]["location"]

    assert "latitude" not in location
    assert "longitude" not in location


# --- Empty fields are left out -----------------------------------------------------------


def _keys_with_empty_values(value, path="$"):
    if isinstance(value, dict):
        for key, item in value.items():
            if item in (None, "", [], {}):
                yield f"{path}.{key}"
            yield from _keys_with_empty_values(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _keys_with_empty_values(item, f"{path}[{index}]")


def test_empty_fields_are_omitted_not_sent_as_null(client):
    provider = ProviderFactory(email="", website="", description="")
    activity = ActivityFactory(
        venue=VenueFactory(provider=provider, address_line_1="", latitude=None, longitude=None),
        description="",
        is_free=False,
    )

    listed = client.get(SERVICES).json()["contents"][0]
    service = client.get(detail_url(activity)).json()

    assert list(_keys_with_empty_values(listed)) == []
    assert list(_keys_with_empty_values(service)) == []
    for field in ("description", "url", "email", "cost_options", "schedules", "minimum_age"):
        assert field not in service
    location = service["service_at_locations"][0]["location"]
    assert "addresses" not in location  # an address without its first line is incomplete
    assert "latitude" not in location
    # Required by the profile, so filled from the name rather than left empty.
    assert service["organization"]["description"] == provider.name


# --- What is published -------------------------------------------------------------------


def test_in_house_offers_of_talking_therapies_services_are_never_published(client):
    shared = ActivityFactory()
    private = in_house_activity()

    assert ids(client.get(SERVICES)) == [str(shared.public_id)]
    response = client.get(detail_url(private))
    assert response.status_code == 404


def test_archived_listings_are_not_published(client):
    live = ActivityFactory()
    archived = ActivityFactory(archived=True)
    at_archived_venue = ActivityFactory(venue=VenueFactory(archived=True))
    of_archived_provider = ActivityFactory(venue__provider=ProviderFactory(archived=True))

    assert ids(client.get(SERVICES)) == [str(live.public_id)]
    for hidden in (archived, at_archived_venue, of_archived_provider):
        assert client.get(detail_url(hidden)).status_code == 404


def test_provider_organisations_and_partnership_listings_are_published(client):
    by_partnership = ActivityFactory(name="A")
    by_provider_org = full_activity(name="B")

    assert ids(client.get(SERVICES)) == [
        str(by_partnership.public_id),
        str(by_provider_org.public_id),
    ]
