"""Checking each row of a listings file before anything is saved (providers.csv_io)."""

from datetime import time
from decimal import Decimal

import pytest

from providers import csv_io
from providers.csv_io import plan_import, read_table
from providers.models import (
    Activity,
)
from tests.providers.test_csv_support import (
    online_row,
    problems_of,
    table_of,
    walk_row,
)

pytestmark = pytest.mark.usefixtures("uploads_in_tmp")


def test_a_good_file_has_no_problems(partnership_staff):
    plan = plan_import(table=table_of([walk_row(), online_row()]), user=partnership_staff)
    assert plan.problems == []
    assert plan.summary()["counts"] == {
        "rows": 2,
        "new": 2,
        "changed": 0,
        "unchanged": 0,
        "problem_rows": 0,
        "problems": 0,
        "new_providers": 2,
        "changed_providers": 0,
        "new_venues": 1,
        "changed_venues": 0,
    }


def test_the_template_imports_cleanly(partnership_staff):
    plan = plan_import(table=read_table(data=csv_io.template_csv()), user=partnership_staff)
    assert plan.problems == []
    assert len(plan.rows) == 2


def test_unknown_activity_type_suggests_the_nearest(partnership_staff):
    rows = [online_row(activity_name=f"Yoga {n}") for n in range(5)]
    rows.append(walk_row(activity_type="Walkng"))
    assert problems_of(rows, partnership_staff) == [
        (
            7,
            "activity_type",
            "'Walkng' is not on the OpenActive activity list. Did you mean 'Walking'?",
        )
    ]


def test_unknown_activity_type_with_nothing_close(partnership_staff):
    [(_, _, message)] = problems_of([walk_row(activity_type="Qqqzzz")], partnership_staff)
    assert message == (
        "'Qqqzzz' is not on the OpenActive activity list. Use a name from the list, like "
        "'Walking' or 'Yoga'"
    )


@pytest.mark.parametrize("written", ["walking", "WALKING", " Walking ", "Rambling"])
def test_activity_type_matches_labels_and_alternatives_whatever_the_case(
    partnership_staff, written
):
    plan = plan_import(table=table_of([walk_row(activity_type=written)]), user=partnership_staff)
    assert plan.problems == []
    assert plan.rows[0].activity.activity_type.label == "Walking"


@pytest.mark.parametrize(
    ("changes", "column", "message"),
    [
        ({"postcode": "LS1 4A"}, "postcode", "'LS1 4A' is not a postcode. Enter a real postcode"),
        ({"postcode": "LS1 4A!"}, "postcode", "must only include letters and numbers"),
        ({"postcode": ""}, "postcode", "Enter the venue's postcode"),
        (
            {"free": "no", "price_full": "-3"},
            "price_full",
            "'-3' is a negative price. Price cannot be less than £0",
        ),
        ({"free": "no", "price_concession": "-0.50"}, "price_concession", "negative price"),
        ({"free": "no", "price_full": "four"}, "price_full", "'four' is not a price"),
        ({"free": "no", "price_full": "4.555"}, "price_full", "too many decimal places"),
        ({"free": "yes", "price_full": "5"}, "price_full", "A free activity cannot have a full"),
        (
            {"weekly_times": "Tue 11:00-10:00"},
            "weekly_times",
            "'Tue 11:00-10:00' ends before it starts",
        ),
        ({"weekly_times": "Funday 10:00-11:00"}, "weekly_times", "is not a day of the week"),
        ({"free": "maybe"}, "free", "'maybe' is not yes or no. Enter yes or no"),
        ({"delivery_mode": "zoom"}, "delivery_mode", "Enter in person, online or both"),
        ({"intensity": "hard"}, "intensity", "Enter gentle, moderate or vigorous"),
        ({"format": "team"}, "format", "Enter group or one-to-one"),
        ({"capacity": "ten"}, "capacity", "'ten' is not a whole number"),
        ({"capacity": "0"}, "capacity", "Places per session must be 1 or more"),
        ({"group_size": "-2"}, "group_size", "Largest group size must be 1 or more"),
        (
            {"suitable_for": "Beginers"},
            "suitable_for",
            "'Beginers' is not one of the suitable-for tags. Did you mean 'Beginners'?",
        ),
        ({"accessibility": "Lift"}, "accessibility", "'Lift' is not one of the accessibility"),
        (
            {"referral_email": "", "referral_phone": ""},
            "referral_email",
            "Enter an email address or phone number for referrals",
        ),
        ({"referral_email": "not-an-email"}, "referral_email", "Enter an email address in the"),
        ({"provider_email": "nope@"}, "provider_email", "Enter an email address in the correct"),
        ({"provider_website": "http://"}, "provider_website", "Enter a web address, like"),
        ({"activity_name": "x" * 201}, "activity_name", "must be 200 characters or fewer"),
        ({"provider_name": ""}, "provider_name", "Enter the provider's name"),
        ({"activity_name": ""}, "activity_name", "Enter the activity's name"),
        ({"activity_type": ""}, "activity_type", "Enter the type of activity"),
        (
            {"venue_name": "", "address_line_1": "", "town": "", "postcode": ""},
            "venue_name",
            "An activity delivered in person needs a venue",
        ),
        ({"venue_name": ""}, "venue_name", "Enter the venue's name, or leave the address"),
        ({"activity_id": "not-an-id"}, "activity_id", "is not an activity id from an export"),
        (
            {"activity_id": "6f1f6c1e-8a38-4c39-9a8f-2c2a7a3b9d11"},
            "activity_id",
            "is not one of your live activities",
        ),
    ],
)
def test_each_problem_names_the_row_column_and_what_is_wrong(
    partnership_staff, changes, column, message
):
    [(row, found_column, found_message)] = problems_of([walk_row(**changes)], partnership_staff)
    assert (row, found_column) == (2, column)
    assert message in found_message


def test_every_problem_on_every_row_is_reported(partnership_staff):
    rows = [
        walk_row(),
        walk_row(activity_name="Walk 2", postcode="XX", activity_type="Walkng"),
        walk_row(activity_name="Walk 3"),
        walk_row(activity_name="Walk 4", free="no", price_full="-1", weekly_times="Mon 9-8"),
    ]
    assert [(row, column) for row, column, _ in problems_of(rows, partnership_staff)] == [
        (3, "postcode"),
        (3, "activity_type"),
        (5, "price_full"),
        (5, "weekly_times"),
    ]


def test_friendly_inputs_are_understood(partnership_staff):
    row = walk_row(
        provider_website="www.riverside.example.org",
        delivery_mode="In Person and Online",
        online_url="riverside.example.org/live",
        free="N",
        price_full="£3.50",
        format="1:1",
        intensity="VIGOROUS",
        suitable_for="beginners; over_50s, Women only",
        accessibility="Step-free access; bsl",
        weekly_times="Tuesday 10am to 11am; thu 6:30pm-7:30pm",
        postcode="ls14ap",
    )
    plan = plan_import(table=table_of([row]), user=partnership_staff)
    assert plan.problems == []
    [planned] = plan.rows
    activity = planned.activity
    assert activity.delivery_mode == Activity.DeliveryMode.BOTH
    assert activity.online_url == "https://riverside.example.org/live"
    assert activity.price_full == Decimal("3.50")
    assert activity.format == Activity.Format.ONE_TO_ONE
    assert activity.intensity == Activity.Intensity.VIGOROUS
    assert planned.suitability == ["beginners", "over_50s", "women_only"]
    assert planned.accessibility == ["step_free", "bsl"]
    assert planned.weekly_slots == [(1, time(10), time(11)), (3, time(18, 30), time(19, 30))]
    assert planned.venue_plan.venue.postcode == "LS1 4AP"
    assert plan.providers[0].provider.website == "https://www.riverside.example.org"


def test_a_provider_with_different_details_on_two_rows_is_a_problem(partnership_staff):
    rows = [
        walk_row(),
        walk_row(activity_name="Walk 2", provider_email="other@riverside.example.org"),
        walk_row(activity_name="Walk 3", provider_email=""),  # empty: given by another row
    ]
    assert problems_of(rows, partnership_staff) == [
        (
            3,
            "provider_email",
            "'other@riverside.example.org' is not the same as row 2 "
            "('hello@riverside.example.org') for Riverside Leisure. Give the same details on "
            "every row, or leave them empty after the first",
        )
    ]


def test_the_same_activity_twice_in_a_file_is_a_problem(partnership_staff):
    rows = [walk_row(external_id="A1"), walk_row(activity_name="Again", external_id="A1")]
    [(row, column, message)] = problems_of(rows, partnership_staff)
    assert (row, column) == (3, "external_id")
    assert message.startswith("Row 2 has the same external_id")


def test_a_row_with_cells_past_the_last_column_is_a_problem(partnership_staff):
    text = "provider_name,activity_name,activity_type\r\nClub,Walk,Walking,extra\r\n"
    plan = plan_import(table=read_table(data=text.encode()), user=partnership_staff)
    assert (plan.problems[0].row, plan.problems[0].column, plan.problems[0].message) == (
        2,
        "",
        "This row has more cells than there are column names",
    )


def test_mirrored_constraints_are_real_constraints():
    for model, names in csv_io.MIRRORED_CONSTRAINTS.items():
        assert names <= {constraint.name for constraint in model._meta.constraints}, model


def test_a_constraint_that_is_not_mirrored_is_still_checked(db, monkeypatch):
    from providers.csv_io import checks

    monkeypatch.setitem(checks.MIRRORED_CONSTRAINTS, Activity, set())
    activity = Activity(is_free=True, price_full=Decimal("5"), delivery_mode="online")
    assert "A free activity cannot have a full price" in checks.other_constraint_messages(
        activity, checks.NOT_CLEANED
    )
