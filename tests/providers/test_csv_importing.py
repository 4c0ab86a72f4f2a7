"""Importing a checked listings file: all or nothing, once, by its owner, in a fixed number
of queries (providers.csv_io)."""

import pytest
from django.db import IntegrityError

from providers import bulk_services, csv_io
from providers.csv_io import plan_import
from providers.models import (
    Activity,
    ListingChange,
    Source,
)
from tests.providers.factories import ActivityFactory
from tests.providers.test_csv_support import (
    counts,
    import_rows,
    many_rows,
    online_row,
    table_of,
    walk_row,
)

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

    def refuse(**kwargs):
        # The activities pass the check but the database refuses one of them.
        raise IntegrityError('new row violates check constraint "activity_price_not_negative"')

    monkeypatch.setattr(bulk_services, "activities_save_many", refuse)
    rows = [changed, walk_row(), online_row(), walk_row(activity_name="Fourth")]
    with pytest.raises(csv_io.ImportFailed) as failure:
        import_rows(rows, partnership_staff)
    assert failure.value.message.startswith("Nothing was imported. A row could not be saved")
    assert counts() == before  # the providers and venues saved first are gone too
    existing.refresh_from_db()
    assert existing.name != "Changed first"


def test_a_validation_error_on_save_says_why(partnership_staff, monkeypatch):
    from django.core.exceptions import ValidationError

    def refuse(**kwargs):
        raise ValidationError("A session must end after it starts")

    monkeypatch.setattr(bulk_services, "activities_save_many", refuse)
    before = counts()
    with pytest.raises(csv_io.ImportFailed) as failure:
        import_rows([walk_row()], partnership_staff)
    assert failure.value.message == (
        "Nothing was imported. A row could not be saved: A session must end after it starts "
        "Fix it in your spreadsheet and upload the file again"
    )
    assert counts() == before


def test_a_file_with_problems_is_refused_whole_unless_the_valid_rows_are_chosen(
    partnership_staff,
):
    rows = [walk_row(), walk_row(activity_name="Bad", free="perhaps"), online_row()]
    before = counts()
    with pytest.raises(csv_io.ImportFailed):
        import_rows(rows, partnership_staff)
    assert counts() == before
    result = csv_io.import_table(table=table_of(rows), user=partnership_staff, valid_rows_only=True)
    assert (result["new"], result["skipped"]) == (2, 1)
    assert set(Activity.objects.values_list("name", flat=True)) == {
        "Wellbeing walk",
        online_row()["activity_name"],
    }


def test_an_unchanged_file_changes_nothing(partnership_staff):
    import_rows([walk_row(), online_row()], partnership_staff)
    exported = csv_io.export_csv(user=partnership_staff)
    before = counts()
    result = csv_io.import_table(
        table=csv_io.read_table(data=exported, filename="x.csv"), user=partnership_staff
    )
    assert (result["new"], result["changed"], result["unchanged"]) == (0, 0, 2)
    assert counts() == before


def test_changed_tags_and_times_are_replaced_and_recorded(partnership_staff):
    import_rows([walk_row(external_id="W-1")], partnership_staff)
    import_rows(
        [walk_row(external_id="W-1", suitable_for="Over 50s", weekly_times="Fri 09:00-10:00")],
        partnership_staff,
    )
    walk = Activity.objects.get(external_id="W-1")
    assert list(walk.suitability.values_list("tag", flat=True)) == ["over_50s"]
    assert [(s.weekday, s.start_time.hour) for s in walk.weekly_slots.all()] == [(4, 9)]
    change = ListingChange.objects.filter(listing_public_id=walk.public_id).first()
    assert set(change.changes) >= {"Weekly times"}


# --- Query counts: lookups are per file, not per row -----------------------------------------


def test_checking_200_rows_takes_a_fixed_number_of_queries(
    partnership_staff, django_assert_max_num_queries
):
    table = table_of(many_rows(200))
    with django_assert_max_num_queries(8):
        plan = plan_import(table=table, user=partnership_staff)
    assert plan.problems == []
    assert len(plan.rows) == 200


def test_importing_200_rows_takes_a_fixed_number_of_queries(
    partnership_staff, django_assert_max_num_queries
):
    table = table_of(many_rows(200))
    with django_assert_max_num_queries(60):
        result = csv_io.import_table(table=table, user=partnership_staff)
    assert result["new"] == 200
