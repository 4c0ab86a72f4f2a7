"""The small rules the open data presenters share."""

import uuid
from datetime import UTC, datetime, time
from decimal import Decimal

import pytest

from providers.open_data.openactive import modified_moment, modified_number
from providers.open_data.presenting import compact, day_names, iso_duration, minutes_between, money
from providers.open_data.terms import accessibility_term, age_range, derived_id, terms_by_id
from talkingmoves.vocabulary.access_needs import Accessibility
from talkingmoves.vocabulary.activities import SuitableFor


def test_compact_drops_empty_values_at_every_level_but_keeps_zero_and_false():
    value = {
        "a": None,
        "b": "",
        "c": [],
        "d": {},
        "e": 0,
        "f": False,
        "g": {"h": None, "i": [{"j": ""}]},
        "k": [None, "x", {}],
    }

    assert compact(value) == {"e": 0, "f": False, "k": ["x"]}


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (time(10), time(11), "PT1H"),
        (time(9, 30), time(11), "PT1H30M"),
        (time(9), time(9, 45), "PT45M"),
    ],
)
def test_iso_duration(start, end, expected):
    assert iso_duration(minutes_between(start, end)) == expected


def test_money_is_a_json_number():
    assert money(Decimal("4.50")) == 4.5
    assert money(Decimal("2.00")) == 2
    assert isinstance(money(Decimal("2.00")), int)
    assert money(None) is None


def test_day_names():
    assert day_names([1]) == "Tuesday"
    assert day_names([0, 2, 4]) == "Monday, Wednesday and Friday"


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        ([], (None, None)),
        ([SuitableFor.AGE_18_25], (18, 25)),
        ([SuitableFor.OVER_50S, SuitableFor.BEGINNERS], (50, None)),
        ([SuitableFor.AGE_18_25, SuitableFor.OVER_50S], (18, None)),
    ],
)
def test_age_range_from_suitable_for_tags(tags, expected):
    assert age_range(tags) == expected


def test_derived_ids_are_stable_uuids():
    first = derived_id("schedule", "abc", 1)

    assert first == derived_id("schedule", "abc", 1)
    assert first != derived_id("schedule", "abc", 2)
    assert uuid.UUID(first).version == 5


def test_openactive_accessibility_terms_reuse_openactive_ids_and_all_terms_are_distinct():
    term = accessibility_term(Accessibility.MENTAL_HEALTH)

    assert term.id == "40b9b11f-bdd3-4aeb-8984-2ecf74a14c7a"
    assert term.name == "Mental health issues"
    assert len(terms_by_id()) == len(SuitableFor.values) + len(Accessibility.values)


def test_modified_round_trips_to_the_microsecond():
    moment = datetime(2025, 3, 1, 9, 0, 0, 123456, tzinfo=UTC)

    assert modified_moment(modified_number(moment)) == moment
    assert modified_number(moment) - modified_number(moment.replace(microsecond=123455)) == 1
