"""The Open Referral UK API as an API: pagination, search and filters, errors, methods and
headers, public and read-only, in a constant number of queries."""

import uuid

import pytest

from providers.open_data.terms import accessibility_term, suitable_for_term
from talkingmoves.vocabulary.access_needs import Accessibility
from talkingmoves.vocabulary.activities import SuitableFor
from tests.providers.factories import ActivityFactory, ProviderFactory, VenueFactory, activity_type
from tests.providers.open_data_fixtures import (
    full_activity,
)
from tests.providers.open_data_fixtures.oruk import ROOT, SERVICES, detail_url, ids

pytestmark = pytest.mark.django_db

# --- Pagination, search and filters -------------------------------------------------------


def test_pagination_metadata(client):
    for n in range(5):
        ActivityFactory(name=f"Activity {n}")

    first = client.get(SERVICES, {"per_page": 2}).json()
    last = client.get(SERVICES, {"per_page": 2, "page": 3}).json()
    beyond = client.get(SERVICES, {"per_page": 2, "page": 4}).json()

    assert {k: v for k, v in first.items() if k != "contents"} == {
        "total_items": 5,
        "total_pages": 3,
        "page_number": 1,
        "size": 2,
        "first_page": True,
        "last_page": False,
        "empty": False,
    }
    assert [item["name"] for item in first["contents"]] == ["Activity 0", "Activity 1"]
    assert (last["size"], last["first_page"], last["last_page"], last["empty"]) == (
        1,
        False,
        True,
        False,
    )
    assert [item["name"] for item in last["contents"]] == ["Activity 4"]
    assert (beyond["contents"], beyond["empty"], beyond["last_page"]) == ([], True, True)


def test_an_empty_directory_is_an_empty_first_page(client):
    page = client.get(SERVICES).json()

    assert page == {
        "total_items": 0,
        "total_pages": 0,
        "page_number": 1,
        "size": 0,
        "first_page": True,
        "last_page": True,
        "empty": True,
        "contents": [],
    }


def test_default_page_size_is_fifty(client):
    ActivityFactory.create_batch(51)

    page = client.get(SERVICES).json()

    assert (page["size"], page["total_pages"]) == (50, 2)


@pytest.mark.parametrize("parameter", ["search", "text"])
def test_text_search_matches_name_description_provider_and_activity_type(client, parameter):
    by_name = ActivityFactory(name="Riverside Yoga", description="")
    by_provider = ActivityFactory(venue=VenueFactory(provider=ProviderFactory(name="YOGA Hub")))
    by_type = ActivityFactory(activity_type=activity_type("Yoga"), name="Stretch")
    ActivityFactory(name="Swim")

    found = set(ids(client.get(SERVICES, {parameter: "yoga"})))

    assert found == {str(a.public_id) for a in (by_name, by_provider, by_type)}


def test_filter_by_activity_type_suitability_or_accessibility_term(client):
    walk = full_activity()
    swim = ActivityFactory(activity_type=activity_type("Swimming"))

    by_type = ids(client.get(SERVICES, {"taxonomy_term_id": activity_type("Swimming").pk}))
    by_tag = ids(
        client.get(SERVICES, {"taxonomy_term_id": suitable_for_term(SuitableFor.WOMEN_ONLY).id})
    )
    by_access = ids(
        client.get(
            SERVICES, {"taxonomy_term_id": accessibility_term(Accessibility.MENTAL_HEALTH).id}
        )
    )
    unknown = ids(client.get(SERVICES, {"taxonomy_term_id": str(uuid.uuid4())}))

    assert by_type == [str(swim.public_id)]
    assert by_tag == [str(walk.public_id)]
    assert by_access == [str(walk.public_id)]
    assert unknown == []


# --- Errors, methods, headers ------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"page": "0"}, "page must be a whole number from 1 to 1000000"),
        ({"page": "two"}, "page must be a whole number from 1 to 1000000"),
        ({"page": "-1"}, "page must be a whole number from 1 to 1000000"),
        ({"per_page": "101"}, "per_page must be a whole number from 1 to 100"),
        ({"per_page": "1.5"}, "per_page must be a whole number from 1 to 100"),
        ({"page": "9" * 5000}, "page must be a whole number from 1 to 1000000"),
        ({"page": "\u0661"}, "page must be a whole number from 1 to 1000000"),  # Arabic-Indic 1
        ({"taxonomy_term_id": "walking"}, "taxonomy_term_id must be a UUID"),
    ],
)
def test_bad_query_parameters_get_a_400_with_a_clear_message(client, query, message):
    response = client.get(SERVICES, query)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response.json()["message"].startswith(message)
    assert response.json()["status"] == 400


@pytest.mark.parametrize("service_id", ["bb464aa5-ce60-47fb-b572-4da5bd323554", "not-a-uuid"])
def test_unknown_service_is_a_404_in_json(client, service_id):
    response = client.get(detail_url(service_id))

    assert response.status_code == 404
    assert response.json() == {
        "status": 404,
        "error": "Not Found",
        "message": f"No published service has the id {service_id}",
    }
    assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_only_get_is_allowed(client, method):
    activity = ActivityFactory()
    for url in (ROOT, SERVICES, detail_url(activity)):
        response = getattr(client, method)(url)

        assert response.status_code == 405
        assert response["Allow"] == "GET, HEAD"
        assert response.json()["error"] == "Method Not Allowed"
        assert response["Access-Control-Allow-Origin"] == "*"


def test_responses_are_public_cacheable_and_open_to_any_origin(client):
    activity = ActivityFactory()
    for url in (ROOT, SERVICES, detail_url(activity)):
        response = client.get(url, headers={"Origin": "https://directory.example.gov.uk"})

        assert response.status_code == 200
        assert response["Access-Control-Allow-Origin"] == "*"
        assert "public" in response["Cache-Control"]
        assert "max-age=300" in response["Cache-Control"]


def test_head_requests_are_answered_like_get(client):
    response = client.head(SERVICES)

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"


def test_anonymous_and_signed_in_people_get_the_same_answer(client, client_for, clinician):
    ActivityFactory()

    anonymous = client.get(SERVICES)
    signed_in = client_for(clinician).get(SERVICES)

    assert anonymous.status_code == signed_in.status_code == 200
    assert anonymous.json() == signed_in.json()


def test_root_describes_the_api(client):
    info = client.get(ROOT).json()

    assert info["version"] == "HSDS-UK-3.0"
    assert info["profile"].startswith("https://")
    assert info["openapi_url"].endswith("openapi.json")


# --- Speed: a constant number of queries per page -----------------------------------------


def test_a_page_of_fifty_services_takes_four_queries(client, django_assert_max_num_queries):
    for n in range(50):
        full_activity(name=f"Walk {n}")
    with django_assert_max_num_queries(4):
        response = client.get(SERVICES, {"per_page": 50})

    assert response.json()["size"] == 50


def test_a_service_with_everything_nested_takes_seven_queries(
    client, django_assert_max_num_queries
):
    activity = full_activity()
    with django_assert_max_num_queries(7):
        response = client.get(detail_url(activity))

    assert response.status_code == 200
