"""Importing a checked listings file: all or nothing, once, by its owner, in a fixed number
of queries (providers.csv_io)."""

import pytest
from django.db import IntegrityError

from providers import csv_io, services
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

pytestmark = pytest.mark.usefixtures("uploads_in_tmp")


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


# --- Query counts: lookups are per file, not per row -----------------------------------------


def test_checking_200_rows_takes_a_fixed_number_of_queries(
    partnership_staff, django_assert_max_num_queries
):
    table = table_of(many_rows(200))
    with django_assert_max_num_queries(8):
        plan = plan_import(table=table, user=partnership_staff)
    assert plan.problems == []
    assert len(plan.rows) == 200
