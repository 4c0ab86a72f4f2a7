"""The import and export pages: upload -> check (a job) -> import (a job), the template and
the export; who may use them, and what bad input gets. The jobs run here with job_run, as a
worker would (tests/jobs has the real worker)."""

import re
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from providers import csv_io
from providers.models import Activity
from talkingmoves.jobs.models import Job
from talkingmoves.jobs.services import job_run
from tests.providers.factories import ActivityFactory
from tests.providers.test_csv_support import counts, csv_bytes, many_rows, online_row, walk_row

pytestmark = pytest.mark.usefixtures("uploads_in_tmp")


def csv_file(data: bytes, name: str = "listings.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


def upload(client, data: bytes, name: str = "listings.csv"):
    return client.post(reverse("providers:csv_upload"), {"file": csv_file(data, name)})


def job_of(response) -> str:
    """The job a page started: it redirects to the job's page at once."""
    assert response.status_code == 302, response.content.decode()[:2000]
    match = re.fullmatch(r"/jobs/([0-9a-f-]{36})/", response.url)
    assert match, response.url
    return match[1]


def job_page(job_id):
    return reverse("jobs:detail", args=[job_id])


def import_url(job_id):
    return reverse("providers:csv_import", args=[job_id])


def checked(client, data: bytes) -> str:
    """Upload a file and let the worker check it; the check job's id."""
    job_id = job_of(upload(client, data))
    assert job_run(job_id) == Job.State.SUCCEEDED
    return job_id


def imported(client, check_id, rows="all") -> str:
    job_id = job_of(client.post(import_url(check_id), {"rows": rows}))
    job_run(job_id)
    return job_id


A_JOB = uuid.uuid4()
PAGES = {  # url name -> (args, the method that answers)
    "providers:csv_upload": ((), "get"),
    "providers:csv_template": ((), "get"),
    "providers:csv_export": ((), "get"),
    "providers:csv_import": ((A_JOB,), "post"),
}
ALLOWED = {"lead", "partnership", "provider"}  # everyone who keeps listings


# --- Who may use them ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role", ["clinician", "other_clinician", "lead", "partnership", "provider", "admin"]
)
@pytest.mark.parametrize("name", sorted(PAGES))
def test_each_role(cast, client_for, role, name):
    args, method = PAGES[name]
    response = getattr(client_for(cast[role]), method)(reverse(name, args=args))
    if role not in ALLOWED:
        assert response.status_code == 403
    elif args:  # no such job
        assert response.status_code == 404
    else:
        assert response.status_code == 200


@pytest.mark.parametrize("name", sorted(PAGES))
def test_anonymous_users_are_sent_to_sign_in(client, db, name):
    args, method = PAGES[name]
    response = getattr(client, method)(reverse(name, args=args))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    ("name", "wrong"),
    [
        ("providers:csv_upload", "put"),
        ("providers:csv_template", "post"),
        ("providers:csv_export", "post"),
        ("providers:csv_import", "get"),
    ],
)
def test_wrong_method(cast, client_for, name, wrong):
    args, _ = PAGES[name]
    response = getattr(client_for(cast["partnership"]), wrong)(reverse(name, args=args))
    assert response.status_code == 405


def test_someone_elses_check_is_not_found(cast, client_for):
    check_id = checked(client_for(cast["partnership"]), csv_bytes([walk_row()]))
    lead = client_for(cast["lead"])
    assert lead.get(job_page(check_id)).status_code == 404
    assert lead.post(import_url(check_id), {"rows": "all"}).status_code == 404
    assert Activity.objects.count() == 0


# --- Upload: bad files re-render the form with the error summary ----------------------------


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (None, "", "Select a CSV file"),
        (b"", "listings.csv", "The selected file is empty"),
        (
            csv_bytes([walk_row(description="Café £3")], encoding="cp1252"),
            "listings.csv",
            "The file must be saved as CSV UTF-8 (in Excel: File &gt; Save As &gt; CSV UTF-8)",
        ),
        (
            b"provider_name,activity_name\r\nA,B\r\n",
            "listings.csv",
            "The file is missing this column: activity_type",
        ),
        (b"PK\x03\x04 workbook", "listings.xlsx", "The selected file must be a CSV"),
    ],
)
def test_a_bad_file_is_explained_and_nothing_changes(cast, client_for, data, name, message):
    client = client_for(cast["partnership"])
    before = counts()
    payload = {} if data is None else {"file": csv_file(data, name)}
    response = client.post(reverse("providers:csv_upload"), payload)
    assert response.status_code == 200
    html = response.content.decode()
    assert "nhsuk-error-summary" in html
    assert "There is a problem" in html
    assert message in html
    assert '<a href="#id_file">' in html
    assert "nhsuk-form-group--error" in html
    assert "<title>Error: " in html
    assert counts() == before


def test_upload_page_offers_the_template_and_export(cast, client_for):
    html = client_for(cast["partnership"]).get(reverse("providers:csv_upload")).content.decode()
    assert reverse("providers:csv_template") in html
    assert reverse("providers:csv_export") in html
    assert 'class="nhsuk-file-upload__input"' in html
    assert 'enctype="multipart/form-data"' in html


# --- Check: a job, then its page --------------------------------------------------------------


def test_upload_starts_a_check_and_goes_straight_to_its_page(cast, client_for):
    client = client_for(cast["partnership"])
    response = upload(client, csv_bytes([walk_row()]))
    job_id = job_of(response)
    job = Job.objects.get(pk=job_id)
    assert (job.kind, job.state, job.total) == ("providers.csv_check", "queued", 1)
    assert job.payload["filename"] == "listings.csv"
    html = client.get(job_page(job_id)).content.decode()
    assert 'http-equiv="refresh"' in html  # until a worker has checked it
    assert Activity.objects.count() == 0


def test_check_lists_every_problem_and_offers_the_valid_rows(cast, client_for):
    client = client_for(cast["partnership"])
    rows = [
        walk_row(),
        walk_row(activity_name="Walk 2", postcode="LS1 4A", activity_type="Walkng"),
        online_row(free="no", price_full="-4"),
        walk_row(activity_name="Walk 4", weekly_times="Tue 11:00-10:00"),
    ]
    check_id = checked(client, csv_bytes(rows))
    html = client.get(job_page(check_id)).content.decode()
    assert 'http-equiv="refresh"' not in html
    assert "4 problems in 3 rows" in html
    assert "Import the 1 row without problems" in html
    table = re.sub(r"\s+", " ", html)
    for row, column, text in [
        (3, "postcode", "&#x27;LS1 4A&#x27; is not a postcode"),
        (3, "activity_type", "Did you mean &#x27;Walking&#x27;?"),
        (4, "price_full", "Price cannot be less than £0"),
        (5, "weekly_times", "ends before it starts"),
    ]:
        assert re.search(
            rf"<td class=\"nhsuk-table__cell\">{row}</td> <td class=\"nhsuk-table__cell\">"
            rf"{column}</td> <td class=\"nhsuk-table__cell\">[^<]*{re.escape(text)}",
            table,
        ), (row, column)
    errors = client.get(reverse("jobs:errors", args=[check_id])).content.decode("utf-8-sig")
    assert len(errors.strip().splitlines()) == 1 + 4

    # Importing everything is refused; the valid rows go in, the bad ones are skipped.
    assert client.post(import_url(check_id), {"rows": "all"}).url == job_page(check_id)
    assert Activity.objects.count() == 0
    import_id = imported(client, check_id, rows="valid")
    job = Job.objects.get(pk=import_id)
    assert (job.state, job.result["new"], job.result["skipped"]) == ("succeeded", 1, 3)
    assert list(Activity.objects.values_list("name", flat=True)) == ["Wellbeing walk"]
    html = client.get(job_page(import_id)).content.decode()
    assert "Rows with problems, not imported" in html


def test_a_file_with_no_valid_rows_offers_no_import(cast, client_for):
    client = client_for(cast["partnership"])
    check_id = checked(client, csv_bytes([walk_row(postcode="nope")]))
    html = client.get(job_page(check_id)).content.decode()
    assert "No row can be imported as it is" in html
    assert import_url(check_id) not in html
    assert client.post(import_url(check_id), {"rows": "valid"}).url == job_page(check_id)
    assert Job.objects.count() == 1


def test_check_shows_counts_and_a_sample_then_imports_once(cast, client_for):
    client = client_for(cast["partnership"])
    existing = ActivityFactory(venue__provider__partnership=cast["partnership"].organisation)
    changed = csv_io.export_row(existing) | {"price_full": "3.00", "free": "no"}
    check_id = checked(client, csv_bytes([walk_row(), online_row(), changed]))

    html = client.get(job_page(check_id)).content.decode()
    assert "New activities" in html
    assert "Import 3 activities" in html
    assert "Wellbeing walk" in html
    assert "Changed: Free, Full price" in html
    assert import_url(check_id) in html
    assert Activity.objects.count() == 1  # nothing saved yet

    response = client.post(import_url(check_id), {"rows": "all"})
    import_id = job_of(response)
    assert Job.objects.get(pk=import_id).kind == "providers.csv_import"
    job_run(import_id)
    assert Activity.objects.count() == 3
    after = counts()
    # A double submit (or the back button and submit again) does not import twice.
    assert client.post(import_url(check_id), {"rows": "all"}).url == job_page(import_id)
    assert job_run(import_id) is None
    assert counts() == after
    done = client.get(job_page(import_id)).content.decode()
    assert "Listings imported" in done
    assert 'http-equiv="refresh"' not in done
    assert "See the import" in client.get(job_page(check_id)).content.decode()


@pytest.mark.parametrize("rows", ["", "everything", None])
def test_a_bad_import_choice_imports_nothing(cast, client_for, rows):
    client = client_for(cast["partnership"])
    check_id = checked(client, csv_bytes([walk_row()]))
    response = client.post(import_url(check_id), {} if rows is None else {"rows": rows})
    assert response.url == job_page(check_id)
    assert Job.objects.count() == 1
    assert Activity.objects.count() == 0


def test_only_a_finished_check_can_be_imported(cast, client_for):
    client = client_for(cast["partnership"])
    check_id = job_of(upload(client, csv_bytes([walk_row()])))  # not checked yet
    assert client.post(import_url(check_id), {"rows": "all"}).url == job_page(check_id)
    assert Job.objects.count() == 1


def test_a_file_with_nothing_new_has_nothing_to_import(cast, client_for):
    client = client_for(cast["partnership"])
    ActivityFactory(venue__provider__partnership=cast["partnership"].organisation)
    export = client.get(reverse("providers:csv_export")).content
    check_id = checked(client, export)
    html = client.get(job_page(check_id)).content.decode()
    assert "There is nothing to import" in html
    assert import_url(check_id) not in html


def test_a_failed_import_says_why_and_saves_nothing(cast, client_for, monkeypatch):
    from django.db import DatabaseError

    from providers import bulk_services

    def refuse(**kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(bulk_services, "activities_save_many", refuse)
    client = client_for(cast["partnership"])
    check_id = checked(client, csv_bytes([walk_row()]))
    before = counts()
    import_id = imported(client, check_id)
    html = client.get(job_page(import_id)).content.decode()
    assert "There is a problem" in html
    assert "Nothing was imported. A row could not be saved" in html
    assert counts() == before


def test_a_row_that_has_become_a_problem_since_the_check_stops_the_import(cast, client_for):
    from providers import services

    officer = cast["partnership"]
    client = client_for(officer)
    activity = ActivityFactory(venue__provider__partnership=officer.organisation)
    row = csv_io.export_row(activity) | {"activity_name": "New name"}
    check_id = checked(client, csv_bytes([row, walk_row()]))
    services.listing_archive(listing=activity, by=officer)  # meanwhile
    before = counts()
    import_id = imported(client, check_id)
    job = Job.objects.get(pk=import_id)
    assert job.state == "failed"
    assert job.message.startswith("Nothing was imported. The directory has changed")
    assert job.errors[0]["field"] == "activity_id"
    assert counts() == before


def test_provider_staff_import_their_own_listings_only(cast, client_for, partnership):
    from tests.providers.factories import ProviderFactory

    staff = cast["provider"]
    ProviderFactory(name="Riverside Leisure Centre", organisation=staff.organisation)
    theirs = ActivityFactory(venue__provider__partnership=partnership, name="Spin")
    row = csv_io.export_row(theirs) | {"activity_name": "Hijacked"}
    client = client_for(staff)
    check_id = checked(client, csv_bytes([row]))
    html = client.get(job_page(check_id)).content.decode()
    assert "is not one of your providers" in html
    client.post(import_url(check_id), {"rows": "valid"})
    theirs.refresh_from_db()
    assert theirs.name == "Spin"


# --- Template and export ---------------------------------------------------------------------


def test_template_download(cast, client_for):
    response = client_for(cast["partnership"]).get(reverse("providers:csv_template"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert response.content.decode("utf-8-sig").splitlines()[0] == ",".join(csv_io.COLUMN_NAMES)


def test_export_download(cast, client_for):
    ours = ActivityFactory(venue__provider__partnership=cast["partnership"].organisation)
    ActivityFactory(name="Another partnership's")
    response = client_for(cast["partnership"]).get(reverse("providers:csv_export"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "talkingmoves-listings-" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    assert str(ours.public_id) in text
    assert "Another partnership's" not in text


# --- Pages: NHS.UK components, nothing inline (CSP) ------------------------------------------


def test_pages_have_no_inline_script_or_style(cast, client_for):
    client = client_for(cast["partnership"])
    bad = checked(client, csv_bytes([walk_row(postcode="nope")]))
    good = checked(client, csv_bytes([walk_row()]))
    pages = [
        client.get(reverse("providers:csv_upload")),
        client.post(reverse("providers:csv_upload"), {}),
        client.get(job_page(bad)),
        client.get(job_page(good)),
        client.get(job_page(imported(client, good))),
    ]
    for response in pages:
        html = response.content.decode()
        assert response.status_code == 200
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
        assert "style=" not in html
        assert "<style" not in html


# --- Query counts: a partnership's file ------------------------------------------------------


def test_upload_check_and_import_of_200_rows_take_a_fixed_number_of_queries(
    cast, client_for, django_assert_max_num_queries
):
    client = client_for(cast["partnership"])
    data = csv_bytes(many_rows(200))
    with django_assert_max_num_queries(40):
        check_id = checked(client, data)
        response = client.get(job_page(check_id))
    assert "Import 200 activities" in response.content.decode()
    # Saved in bulk: a fixed number of queries for the file, not a number per row (5,200
    # before the import moved to jobs).
    with django_assert_max_num_queries(80):
        import_id = imported(client, check_id)
    assert Job.objects.get(pk=import_id).state == "succeeded"
    assert Activity.objects.count() == 200
