"""The OpenActive feed checked by OpenActive's own validator (node, from the npm install)."""

import json
import shutil
import subprocess
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from providers.models import OneOffSession
from providers.reference_data import DATA_DIR
from tests.providers.factories import ActivityFactory, VenueFactory
from tests.providers.open_data_fixtures import (
    HOUR,
    full_activity,
)
from tests.providers.open_data_fixtures.openactive import (
    scheduled,
)

pytestmark = pytest.mark.django_db

# --- OpenActive's own validator -----------------------------------------------------------

VALIDATOR = settings.BASE_DIR / "providers" / "open_data" / "validate_openactive.mjs"

# Recommended properties we hold no data for; the validator warns about each. Anything
# else it warns about fails the test.
NO_DATA_FOR = {
    "image",
    "leader",
    "sameAs",
    "url",  # of a Place: venues have no web page of their own
    "description",  # of a Place
    "telephone",  # of a Place
    "openingHoursSpecification",
    "amenityFeature",
    "remainingAttendeeCapacity",
    "maximumAttendeeCapacity",  # of a session, when the listing gives no capacity
    "ageRestriction",  # of an Offer: prices are not by age
    "ageRange",  # stated only when a listing says who it is for
    "level",
}


def openactive_problems(document, tmp_path) -> list[dict]:
    node = shutil.which("node")
    # Node and the validator come with the project's npm install (make install).
    assert node is not None, "node is needed to run OpenActive's validator"
    result = subprocess.run(
        [node, str(VALIDATOR), str(tmp_path / "cache"), str(DATA_DIR / "activity-list.jsonld")],
        input=json.dumps(document),
        capture_output=True,
        text=True,
        timeout=120,
        cwd=settings.BASE_DIR,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def unacceptable(problems) -> list[str]:
    def acceptable(problem):
        if problem["severity"] in ("notice", "suggestion"):
            return True
        return (
            problem["severity"] == "warning"
            and problem["type"] == "missing_recommended_field"
            and problem["path"].rsplit(".", 1)[-1] in NO_DATA_FOR
        )

    return [
        f"{p['severity']} {p['type']} at {p['path']}: {p['message'].splitlines()[0]}"
        for p in problems
        if not acceptable(p)
    ]


def test_the_feed_passes_openactives_validator(get, tmp_path):
    full_activity()
    scheduled(is_free=True, description="")
    online = ActivityFactory(online=True)
    online.weekly_slots.create(weekday=4, start_time="12:00", end_time="12:30")
    dated_only = ActivityFactory(venue=VenueFactory(location_is_approximate=True))
    starts = timezone.now() + timedelta(days=3)
    OneOffSession.objects.create(activity=dated_only, starts_at=starts, ends_at=starts + HOUR)
    scheduled(archived=True)
    page = get().json()
    assert len(page["items"]) == 5

    problems = openactive_problems(page, tmp_path)

    failures = unacceptable(problems)
    assert failures == [], "\n".join(failures)
    assert any(p["type"] == "found_rpde_feed" for p in problems)  # it read it as a feed


def test_the_validator_check_catches_a_broken_session_series(get, tmp_path):
    scheduled()
    page = get().json()
    data = page["items"][0]["data"]
    del data["activity"]
    data["@id"] = "not-a-url"

    problems = unacceptable(openactive_problems(page, tmp_path))

    assert any("missing_required_field" in p and "activity" in p for p in problems)
    assert any("invalid_id" in p for p in problems)


def test_a_venue_known_only_by_its_postcode_passes(get, tmp_path):
    venue = VenueFactory(
        address_line_1="", address_line_2="", town="", postcode="LS6 1AB", latitude=None,
        longitude=None,
    )  # fmt: skip
    from providers import services

    services.venue_save(venue=venue, system_actor="test")
    scheduled(venue=venue)
    page = get().json()
    place = page["items"][0]["data"]["location"]
    assert place["address"]["addressLocality"] == "Leeds"
    # The district's centre is where search places it, but a pin kilometres out is worse
    # than none: a finder places it by the postcode.
    assert venue.location_is_approximate and "geo" not in place

    failures = unacceptable(openactive_problems(page, tmp_path))
    assert failures == [], "\n".join(failures)


def test_the_demo_directory_passes(get, tmp_path):
    from django.core.management import call_command

    from tests.providers.open_data_fixtures.openactive import follow

    call_command("seed_demo")
    items = [item for page in follow(get) for item in page["items"]]
    assert len(items) >= 5
    document = {**follow(get)[0], "items": items}

    failures = unacceptable(openactive_problems(document, tmp_path))
    assert failures == [], "\n".join(failures)
