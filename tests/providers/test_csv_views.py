"""The import and export pages: upload -> preview -> confirm -> done, the template and the
export; who may use them, and what bad input gets."""

import re
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from providers import csv_io
from providers.models import Activity, ListingChange, Provider, Venue
from tests.providers.factories import ActivityFactory
from tests.providers.test_csv_support import csv_bytes, many_rows, online_row, walk_row

pytestmark = pytest.mark.usefixtures("uploads_in_tmp")


def counts():
    return (
        Provider.objects.count(),
        Venue.objects.count(),
        Activity.objects.count(),
        ListingChange.objects.count(),
    )


def csv_file(data: bytes, name: str = "listings.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


def upload(client, data: bytes, name: str = "listings.csv"):
    return client.post(reverse("providers:csv_upload"), {"file": csv_file(data, name)})


def token_of(response) -> str:
    assert response.status_code == 302, response.content.decode()[:2000]
    return response.url.rstrip("/").split("/")[-1]


def preview_url(token):
    return reverse("providers:csv_preview", args=[token])


def confirm_url(token):
    return reverse("providers:csv_confirm", args=[token])


def done_url(token):
    return reverse("providers:csv_done", args=[token])


A_TOKEN = uuid.uuid4()
PAGES = {  # url name -> (args, the method that answers)
    "providers:csv_upload": ((), "get"),
    "providers:csv_template": ((), "get"),
    "providers:csv_export": ((), "get"),
    "providers:csv_preview": ((A_TOKEN,), "get"),
    "providers:csv_confirm": ((A_TOKEN,), "post"),
    "providers:csv_done": ((A_TOKEN,), "get"),
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
    elif args:  # no such upload
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
        ("providers:csv_preview", "post"),
        ("providers:csv_confirm", "get"),
        ("providers:csv_done", "post"),
    ],
)
def test_wrong_method(cast, client_for, name, wrong):
    args, _ = PAGES[name]
    response = getattr(client_for(cast["partnership"]), wrong)(reverse(name, args=args))
    assert response.status_code == 405


def test_someone_elses_upload_is_not_found(cast, client_for):
    token = token_of(upload(client_for(cast["partnership"]), csv_bytes([walk_row()])))
    lead = client_for(cast["lead"])
    assert lead.get(preview_url(token)).status_code == 404
    assert lead.post(confirm_url(token)).status_code == 404
    assert lead.get(done_url(token)).status_code == 404
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


# --- Preview ---------------------------------------------------------------------------------


def test_preview_lists_every_problem_and_offers_no_import(cast, client_for):
    client = client_for(cast["partnership"])
    rows = [
        walk_row(),
        walk_row(activity_name="Walk 2", postcode="LS1 4A", activity_type="Walkng"),
        online_row(free="no", price_full="-4"),
        walk_row(activity_name="Walk 4", weekly_times="Tue 11:00-10:00"),
    ]
    token = token_of(upload(client, csv_bytes(rows)))
    response = client.get(preview_url(token))
    html = response.content.decode()
    assert response.status_code == 200
    assert "4 problems in 3 rows" in html
    assert "Fix these problems in your spreadsheet and upload it again" in html
    table = re.sub(r"\s+", " ", html)
    for row, column, text in [
        (3, "postcode", "&#x27;LS1 4A&#x27; is not a postcode"),
        (3, "activity_type", "Did you mean &#x27;Walking&#x27;?"),
        (4, "price_full", "Price cannot be less than £0"),
        (5, "weekly_times", "ends before it starts"),
    ]:
        assert re.search(
            rf"<td class=\"nhsuk-table__cell\">{row}</td> <td class=\"nhsuk-table__cell\">"
            rf"<code>{column}</code></td> <td class=\"nhsuk-table__cell\">[^<]*{re.escape(text)}",
            table,
        ), (row, column)
    assert confirm_url(token) not in html
    assert client.post(confirm_url(token)).url == preview_url(token)
    assert Activity.objects.count() == 0


def test_preview_shows_counts_and_a_sample_then_imports_once(cast, client_for):
    client = client_for(cast["partnership"])
    existing = ActivityFactory(venue__provider__partnership=cast["partnership"].organisation)
    changed = csv_io.export_row(existing) | {"price_full": "3.00", "free": "no"}
    token = token_of(upload(client, csv_bytes([walk_row(), online_row(), changed])))

    html = client.get(preview_url(token)).content.decode()
    assert "New activities" in html
    assert "Import 3 activities" in html
    assert "Wellbeing walk" in html
    assert "Changed: Free, Full price" in html
    assert confirm_url(token) in html
    assert Activity.objects.count() == 1  # nothing saved yet

    response = client.post(confirm_url(token))
    assert response.url == done_url(token)
    assert Activity.objects.count() == 3
    after = counts()
    # A double submit (or the back button and submit again) does not import twice.
    assert client.post(confirm_url(token)).url == done_url(token)
    assert counts() == after
    done = client.get(done_url(token)).content.decode()
    assert "Listings imported" in done
    assert client.get(preview_url(token)).url == done_url(token)


def test_a_file_with_nothing_new_has_nothing_to_import(cast, client_for):
    client = client_for(cast["partnership"])
    ActivityFactory(venue__provider__partnership=cast["partnership"].organisation)
    export = client.get(reverse("providers:csv_export")).content
    token = token_of(upload(client, export))
    html = client.get(preview_url(token)).content.decode()
    assert "There is nothing to import" in html
    assert confirm_url(token) not in html


def test_a_failed_import_is_shown_on_the_preview(cast, client_for, monkeypatch):
    from providers import services

    def refuse(**kwargs):
        raise services.transaction.DatabaseError("disk full")

    monkeypatch.setattr(services, "activity_save", refuse)
    client = client_for(cast["partnership"])
    token = token_of(upload(client, csv_bytes([walk_row()])))
    before = counts()
    response = client.post(confirm_url(token))
    assert response.url == preview_url(token)
    html = client.get(preview_url(token)).content.decode()
    assert "There is a problem" in html
    assert "Nothing was imported. Row 2 could not be saved" in html
    assert counts() == before


def test_provider_staff_import_their_own_listings_only(cast, client_for, partnership):
    from tests.providers.factories import ProviderFactory

    staff = cast["provider"]
    ProviderFactory(name="Riverside Leisure Centre", organisation=staff.organisation)
    theirs = ActivityFactory(venue__provider__partnership=partnership, name="Spin")
    row = csv_io.export_row(theirs) | {"activity_name": "Hijacked"}
    client = client_for(staff)
    token = token_of(upload(client, csv_bytes([row])))
    html = client.get(preview_url(token)).content.decode()
    assert "is not one of your providers" in html
    client.post(confirm_url(token))
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
    bad = token_of(upload(client, csv_bytes([walk_row(postcode="nope")])))
    good = token_of(upload(client, csv_bytes([walk_row()])))
    pages = [
        client.get(reverse("providers:csv_upload")),
        client.post(reverse("providers:csv_upload"), {}),
        client.get(preview_url(bad)),
        client.get(preview_url(good)),
    ]
    client.post(confirm_url(good))
    pages.append(client.get(done_url(good)))
    for response in pages:
        html = response.content.decode()
        assert response.status_code == 200
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
        assert "style=" not in html
        assert "<style" not in html


# --- Query counts: a partnership's file ------------------------------------------------------


def test_preview_of_200_rows_takes_a_fixed_number_of_queries(
    cast, client_for, django_assert_max_num_queries
):
    client = client_for(cast["partnership"])
    data = csv_bytes(many_rows(200))
    with django_assert_max_num_queries(20):
        token = token_of(upload(client, data))
        response = client.get(preview_url(token))
    assert "Import 200 activities" in response.content.decode()


def test_confirm_of_200_rows_costs_a_bounded_number_of_queries_per_row(
    cast, client_for, django_assert_max_num_queries
):
    client = client_for(cast["partnership"])
    token = token_of(upload(client, csv_bytes(many_rows(200))))
    # The lookups are per file; each save goes through the services, whose full_clean()
    # validates relations and check constraints with a query each (see the report).
    # About 25 a row: each activity, venue and provider is saved through the services, with
    # its change history (4,903 when pinned).
    with django_assert_max_num_queries(5_200):
        response = client.post(confirm_url(token))
    assert response.url == done_url(token)
    assert Activity.objects.count() == 200
