"""Reading, checking, importing and exporting listings as CSV (providers.csv_io)."""

import csv
import io
from datetime import time
from decimal import Decimal

import pytest
from django.db import IntegrityError

from providers import csv_io, services
from providers.csv_io import ENCODING_MESSAGE, CsvFileError, plan_import, read_table
from providers.models import (
    Activity,
    ListingChange,
    Provider,
    Source,
    Venue,
    WeeklySlot,
)
from tests.factories import ActivePartnershipFactory
from tests.providers.factories import ActivityFactory, ProviderFactory, VenueFactory
from tests.providers.test_csv_support import (
    csv_bytes,
    many_rows,
    online_row,
    table_of,
    walk_row,
)

pytestmark = pytest.mark.usefixtures("uploads_in_tmp")


def problems_of(rows, user, **kwargs):
    plan = plan_import(table=table_of(rows, **kwargs), user=user)
    return [(p.row, p.column, p.message) for p in plan.problems]


def import_rows(rows, user):
    return csv_io.import_table(table=table_of(rows), user=user)


def counts():
    return (
        Provider.objects.count(),
        Venue.objects.count(),
        Activity.objects.count(),
        WeeklySlot.objects.count(),
        ListingChange.objects.count(),
    )


# --- Reading the file ------------------------------------------------------------------------


@pytest.mark.parametrize("bom", [True, False])
def test_reads_utf8_with_or_without_a_byte_order_mark(bom):
    table = read_table(data=csv_bytes([walk_row(description="Café £3, all welcome")], bom=bom))
    assert table.rows[0][1]["provider_name"] == "Riverside Leisure"
    assert table.rows[0][1]["description"] == "Café £3, all welcome"


@pytest.mark.parametrize("encoding", ["cp1252", "utf-16"])
def test_refuses_a_file_in_another_encoding(encoding):
    data = csv_bytes([walk_row(description="Café £3")], encoding=encoding)
    with pytest.raises(CsvFileError) as error:
        read_table(data=data)
    assert str(error.value) == ENCODING_MESSAGE
    assert str(error.value) == (
        "The file must be saved as CSV UTF-8 (in Excel: File > Save As > CSV UTF-8)"
    )


@pytest.mark.parametrize("data", [b"", b"   \r\n", "\ufeff".encode()])
def test_refuses_an_empty_file(data):
    with pytest.raises(CsvFileError, match="The selected file is empty"):
        read_table(data=data)


def test_refuses_a_file_with_column_names_and_no_activities():
    with pytest.raises(CsvFileError, match="The file has no activities in it"):
        read_table(data=csv_bytes([]))


def test_names_the_missing_columns():
    columns = [c for c in csv_io.COLUMN_NAMES if c not in ("provider_name", "activity_type")]
    with pytest.raises(CsvFileError) as error:
        read_table(data=csv_bytes([walk_row()], columns=columns))
    assert str(error.value) == (
        "The file is missing these columns: provider_name, activity_type. "
        "Download the template to see the columns it needs"
    )


def test_names_one_missing_column():
    columns = [c for c in csv_io.COLUMN_NAMES if c != "activity_name"]
    with pytest.raises(CsvFileError, match="missing this column: activity_name"):
        read_table(data=csv_bytes([walk_row()], columns=columns))


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (b"PK\x03\x04\x14\x00\x06\x00 an xlsx workbook", "listings.xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 an old xls", "listings.xls"),
        (b"provider_name,activity_name,activity_type\r\nA,B,Walking\r\n", "listings.xlsx"),
    ],
)
def test_refuses_a_spreadsheet_that_is_not_csv(data, filename):
    with pytest.raises(CsvFileError, match="The selected file must be a CSV"):
        read_table(data=data, filename=filename)


def test_refuses_a_csv_that_is_not_a_listings_file():
    with pytest.raises(CsvFileError, match="The first row must be the column names"):
        read_table(data=b"name,date,amount\r\nMilk,2024-01-01,1.20\r\n")


def test_refuses_semicolon_separated_columns():
    data = b"provider_name;activity_name;activity_type\nA;B;Walking\n"
    with pytest.raises(CsvFileError, match="must be separated by commas"):
        read_table(data=data)


def test_refuses_more_than_5000_activities():
    with pytest.raises(CsvFileError) as error:
        read_table(data=csv_bytes([walk_row(activity_name=f"Walk {n}") for n in range(5001)]))
    assert "5,000 activities or fewer. It has 5,001" in str(error.value)


def test_refuses_a_file_over_5mb():
    data = csv_bytes([walk_row(description="x" * 100_000) for _ in range(53)])
    assert len(data) > 5 * 1024 * 1024
    with pytest.raises(CsvFileError, match="must be smaller than 5MB"):
        read_table(data=data)


def test_refuses_a_column_given_twice():
    data = b"provider_name,activity_name,activity_type,postcode,Postcode\r\nA,B,Walking,x,y\r\n"
    with pytest.raises(CsvFileError, match="more than one postcode column"):
        read_table(data=data)


def test_column_names_may_be_written_as_people_write_them():
    data = b"Provider Name,Activity-Name,ACTIVITY_TYPE,Notes\r\nA,B,Walking,call Sam\r\n"
    table = read_table(data=data)
    assert table.rows == [
        (2, {"provider_name": "A", "activity_name": "B", "activity_type": "Walking"})
    ]
    assert table.ignored_columns == ["Notes"]


def test_rows_are_numbered_as_the_spreadsheet_shows_them(partnership_staff):
    # Row 3 is empty and row 4 has a cell over two lines: they still count as one row each.
    text = (
        "provider_name,activity_name,activity_type,description\r\n"
        "Club,Walk,Walking,fine\r\n"
        ",,,\r\n"
        'Club,Swim,Swimming,"two\r\nlines"\r\n'
        "Club,Jog,Jogginggg,oops\r\n"
    )
    plan = plan_import(table=read_table(data=text.encode()), user=partnership_staff)
    assert [(p.row, p.column) for p in plan.problems if p.column == "activity_type"] == [
        (5, "activity_type")
    ]


# --- Checking each row -----------------------------------------------------------------------


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


# --- Importing: all or nothing ---------------------------------------------------------------


def test_import_saves_every_row_through_the_services(partnership_staff):
    result = import_rows([walk_row(), online_row()], partnership_staff)
    assert (result["new"], result["new_providers"], result["new_venues"]) == (2, 2, 1)
    walk = Activity.objects.get(name="Wellbeing walk")
    assert walk.venue.latitude is not None  # located from the postcode district
    assert walk.venue.source == walk.provider.source == Source.CSV
    assert list(walk.suitability.values_list("tag", flat=True)) == ["beginners"]
    assert ListingChange.objects.filter(actor=partnership_staff).count() == 5


def test_a_row_that_fails_to_save_rolls_back_everything(partnership_staff, monkeypatch):
    existing = ActivityFactory(venue__provider__partnership=partnership_staff.organisation)
    changed = csv_io.export_row(existing) | {"activity_name": "Changed first"}
    before = counts()
    real_save = services.activity_save
    saved = []

    def save_then_fail(**kwargs):
        # The third activity passes the preview but the database refuses it.
        if len(saved) == 2:
            raise IntegrityError('new row violates check constraint "activity_price_not_negative"')
        saved.append(real_save(**kwargs))
        return saved[-1]

    monkeypatch.setattr(services, "activity_save", save_then_fail)
    rows = [changed, walk_row(), online_row(), walk_row(activity_name="Fourth")]
    with pytest.raises(csv_io.ImportFailed) as failure:
        import_rows(rows, partnership_staff)
    assert len(saved) == 2
    assert failure.value.message.startswith("Nothing was imported. Row 4 could not be saved")
    assert counts() == before
    existing.refresh_from_db()
    assert existing.name != "Changed first"


def test_a_validation_error_on_save_names_the_row(partnership_staff, monkeypatch):
    from django.core.exceptions import ValidationError

    def refuse(**kwargs):
        raise ValidationError("A session must end after it starts")

    monkeypatch.setattr(services, "activity_save", refuse)
    before = counts()
    with pytest.raises(csv_io.ImportFailed) as failure:
        import_rows([walk_row()], partnership_staff)
    assert failure.value.message == (
        "Nothing was imported. Row 2 could not be saved: A session must end after it starts "
        "Fix it in your spreadsheet and upload the file again"
    )
    assert counts() == before


def test_a_row_that_has_become_a_problem_since_the_preview_stops_the_import(partnership_staff):
    activity = ActivityFactory(venue__provider__partnership=partnership_staff.organisation)
    upload = csv_io.upload_prepare(
        user=partnership_staff,
        filename="listings.csv",
        table=table_of([csv_io.export_row(activity) | {"activity_name": "New name"}, walk_row()]),
    )
    assert upload.summary["counts"]["problems"] == 0
    services.listing_archive(listing=activity, by=partnership_staff)  # meanwhile
    before = counts()
    upload = csv_io.upload_import(token=upload.token, user=partnership_staff)
    assert upload.state == csv_io.UploadState.READY
    assert upload.error.startswith("Nothing was imported. The directory has changed")
    assert upload.summary["problems"][0]["column"] == "activity_id"
    assert counts() == before


def test_confirming_twice_imports_once(partnership_staff):
    upload = csv_io.upload_prepare(
        user=partnership_staff, filename="listings.csv", table=table_of([walk_row()])
    )
    first = csv_io.upload_import(token=upload.token, user=partnership_staff)
    after_first = counts()
    second = csv_io.upload_import(token=upload.token, user=partnership_staff)
    assert first.state == second.state == csv_io.UploadState.IMPORTED
    assert second.result == first.result
    assert counts() == after_first
    assert Activity.objects.count() == 1


def test_a_claimed_upload_is_not_imported_again(partnership_staff):
    upload = csv_io.upload_prepare(
        user=partnership_staff, filename="listings.csv", table=table_of([walk_row()])
    )
    # Another request has just claimed it (renamed the file) and is importing.
    ready = csv_io.importing._path(upload.token, csv_io.UploadState.READY)
    ready.rename(csv_io.importing._path(upload.token, csv_io.UploadState.IMPORTING))
    again = csv_io.upload_import(token=upload.token, user=partnership_staff)
    assert again.state == csv_io.UploadState.IMPORTING
    assert Activity.objects.count() == 0


def test_someone_elses_upload_cannot_be_seen_or_imported(partnership_staff, lead):
    upload = csv_io.upload_prepare(
        user=partnership_staff, filename="listings.csv", table=table_of([walk_row()])
    )
    assert csv_io.upload_get(token=upload.token, user=lead) is None
    assert csv_io.upload_import(token=upload.token, user=lead) is None
    assert Activity.objects.count() == 0


# --- Export ----------------------------------------------------------------------------------


def exported_rows(user) -> list[dict[str, str]]:
    text = csv_io.export_csv(user=user).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def test_export_then_import_changes_nothing(partnership_staff):
    partnership = partnership_staff.organisation
    provider = ProviderFactory(
        partnership=partnership, phone="+44 113 496 0000", website="https://club.example.org"
    )
    venue = VenueFactory(provider=provider, address_line_2="Unit 2", postcode="LS2 7AB")
    walk = ActivityFactory(venue=venue, description="=cmd|' /C calc'!A0 is a joke")
    services.activity_save(
        activity=walk,
        suitability=["beginners", "over_50s"],
        accessibility=["step_free"],
        weekly_slots=[(1, time(10), time(11)), (3, time(18, 30), time(19, 30))],
        by=partnership_staff,
    )
    ActivityFactory(
        venue=venue,
        is_free=False,
        price_full=Decimal("4.5"),
        price_concession=Decimal("0"),
        takes_referrals=True,
        referral_phone="-0113 496 0001",
        group_size=8,
        capacity=20,
        format=Activity.Format.ONE_TO_ONE,
        intensity=Activity.Intensity.VIGOROUS,
        booking_required=True,
    )
    ActivityFactory(
        provider=ProviderFactory(partnership=partnership, name="@Online only"),
        venue=None,
        delivery_mode=Activity.DeliveryMode.ONLINE,
        online_url="https://example.org/live",
        source=Source.CSV,
        external_id="ONLINE-1",
    )
    import_rows([walk_row(), online_row()], partnership_staff)  # listings from an import too
    before = counts()
    before_activities = list(Activity.objects.order_by("pk").values())

    table = read_table(data=csv_io.export_csv(user=partnership_staff))
    assert len(table.rows) == 5
    plan = plan_import(table=table, user=partnership_staff)
    assert plan.problems == []
    summary = plan.summary()["counts"]
    assert (summary["new"], summary["changed"], summary["unchanged"]) == (0, 0, 5)
    assert (summary["new_providers"], summary["changed_providers"]) == (0, 0)
    assert (summary["new_venues"], summary["changed_venues"]) == (0, 0)
    csv_io.import_table(table=table, user=partnership_staff)
    assert counts() == before
    assert list(Activity.objects.order_by("pk").values()) == before_activities


def test_export_protects_against_formula_injection(partnership_staff):
    provider = ProviderFactory(
        partnership=partnership_staff.organisation,
        name='=HYPERLINK("http://evil.example","Click")',
        phone="+44 113 496 0000",
    )
    ActivityFactory(venue__provider=provider, name="@SUM(A1:A2)", description="-2+3")
    [row] = exported_rows(partnership_staff)
    assert row["provider_name"] == '\'=HYPERLINK("http://evil.example","Click")'
    assert row["provider_phone"] == "'+44 113 496 0000"
    assert row["activity_name"] == "'@SUM(A1:A2)"
    assert row["description"] == "'-2+3"
    assert row["postcode"] == "LS1 4AP"


@pytest.mark.parametrize(
    ("value", "escaped"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("a=1", "a=1"),
        ("'quoted", "'quoted"),
        ("", ""),
    ],
)
def test_escaping_a_cell_is_undone_on_import(value, escaped):
    assert csv_io.escape_cell(value) == escaped
    assert csv_io.unescape_cell(escaped) == value


def test_export_has_only_the_users_live_listings(partnership_staff, provider_staff):
    ours = ActivityFactory(venue__provider__partnership=partnership_staff.organisation)
    archived = ActivityFactory(venue__provider__partnership=partnership_staff.organisation)
    services.listing_archive(listing=archived, by=partnership_staff)
    ActivityFactory(name="Someone else's")  # another partnership
    own = ActivityFactory(
        venue__provider__organisation=provider_staff.organisation,
        venue__provider__partnership=partnership_staff.organisation,
    )
    assert {row["activity_id"] for row in exported_rows(partnership_staff)} == {
        str(ours.public_id),
        str(own.public_id),
    }
    assert [row["activity_id"] for row in exported_rows(provider_staff)] == [str(own.public_id)]
    assert list(exported_rows(provider_staff)[0]) == list(csv_io.COLUMN_NAMES)


def test_template_has_the_columns_and_two_examples():
    text = csv_io.template_csv().decode("utf-8").lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == list(csv_io.COLUMN_NAMES)
    assert len(rows) == 3


# --- Query counts: lookups are per file, not per row -----------------------------------------


def test_checking_200_rows_takes_a_fixed_number_of_queries(
    partnership_staff, django_assert_max_num_queries
):
    table = table_of(many_rows(200))
    with django_assert_max_num_queries(8):
        plan = plan_import(table=table, user=partnership_staff)
    assert plan.problems == []
    assert len(plan.rows) == 200
