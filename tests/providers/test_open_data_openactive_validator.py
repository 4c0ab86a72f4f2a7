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
