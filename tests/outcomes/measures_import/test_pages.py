"""The upload pages: service leads only (every role and anonymous), bad input re-rendered
with its error, the column mapping step, check then apply in a worker job (run here with
job_run, as the worker does), a double submit applying once."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from outcomes.models import Measure, MeasureImport, RiskFlag
from talkingmoves.jobs.models import Job
from talkingmoves.jobs.services import job_run
from tests.factories import ServiceLeadFactory
from tests.outcomes.measures_import.support import (
    ALAN,
    as_json,
    iaptus,
    questionnaire_response,
    row,
)

UPLOAD = reverse("outcomes:measures_import_upload")
ROLES = {"lead": 200, "clinician": 403, "partnership": 403, "provider": 403, "admin": 403}
PHQ9_FLAGGED = ["1"] * 8 + ["1"]


def upload(client, data, name="scores.csv"):
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, data)})


def run_jobs() -> list[Job]:
    """What the worker does once the request's transaction commits."""
    queued = list(Job.objects.filter(state="queued"))
    for job in queued:
        job_run(job.pk)
    return [Job.objects.get(pk=job.pk) for job in queued]


@pytest.fixture
def checked_import(lead, grace_episode):
    upload(_client(lead), iaptus([row(phq9=PHQ9_FLAGGED)]))
    run_jobs()
    return MeasureImport.objects.get()


def _client(user):
    from tests.conftest import signed_in_client

    return signed_in_client(user)


def _pages(public_id):
    return [
        UPLOAD,
        reverse("outcomes:measures_import_detail", args=[public_id]),
        reverse("outcomes:measures_import_columns", args=[public_id]),
    ]


@pytest.mark.parametrize(("role", "expected"), ROLES.items())
def test_pages_by_role(cast, client_for, checked_import, role, expected):
    for page in _pages(checked_import.public_id):
        response = client_for(cast[role]).get(page)
        assert response.status_code in ({expected, 302} if expected == 200 else {expected}), page


def test_anonymous_goes_to_sign_in(checked_import):
    for page in _pages(checked_import.public_id):
        response = Client().get(page)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_another_services_lead_does_not_find_the_import(other_service, checked_import):
    outsider = _client(ServiceLeadFactory(organisation=other_service))
    for page in _pages(checked_import.public_id)[1:]:
        assert outsider.get(page).status_code == 404
    apply = reverse("outcomes:measures_import_apply", args=[checked_import.public_id])
    assert outsider.post(apply).status_code == 404
    assert not Measure.objects.exists()


@pytest.mark.parametrize("role", ["clinician", "partnership", "provider", "admin"])
def test_other_roles_cannot_apply(cast, client_for, checked_import, role):
    apply = reverse("outcomes:measures_import_apply", args=[checked_import.public_id])
    assert client_for(cast[role]).post(apply).status_code == 403
    assert not Measure.objects.exists()


def test_apply_refuses_get(client_for, lead, checked_import):
    apply = reverse("outcomes:measures_import_apply", args=[checked_import.public_id])
    assert client_for(lead).get(apply).status_code == 405


def test_leads_see_it_in_the_navigation(client_for, lead, clinician):
    assert f'href="{UPLOAD}"' in client_for(lead).get(reverse("core:home")).content.decode()
    assert (
        f'href="{UPLOAD}"' not in client_for(clinician).get(reverse("core:home")).content.decode()
    )


def test_upload_check_and_apply_raises_the_risk_flag(
    client_for, lead, clinician, grace_episode, duty
):
    client = client_for(lead)
    response = upload(client, iaptus([row(phq9=PHQ9_FLAGGED, gad7=["0"] * 7)]))
    [check_job] = run_jobs()
    assert response["Location"] == reverse("jobs:detail", args=[check_job.pk])
    job_page = client.get(response["Location"]).content.decode()
    assert "2 questionnaires ready to import, 0 rows with errors" in job_page
    upload_ = MeasureImport.objects.get()
    detail = reverse("outcomes:measures_import_detail", args=[upload_.public_id])
    assert detail in job_page
    page = client.get(detail).content.decode()
    assert "Check the scores before importing them" in page and "(iaptus)" in page
    assert not Measure.objects.exists()
    apply = reverse("outcomes:measures_import_apply", args=[upload_.public_id])
    client.post(apply)
    client.post(apply)  # a double submit: the second job finds it applied
    first, second = run_jobs()
    assert (first.state, second.state) == ("succeeded", "succeeded")
    assert first.payload == {"import": str(upload_.public_id), "apply_valid_rows": False}
    assert second.result["already"] is True
    assert (first.done, first.total) == (2, 2)  # progress, as the job page shows it
    assert Measure.objects.filter(source="imported", recorded_by=lead).count() == 2
    flag = RiskFlag.objects.get()
    assert {a.recipient_user_id for a in flag.alerts.all()} == {clinician.pk, None}
    job_page = client.get(reverse("jobs:detail", args=[first.pk])).content.decode()
    assert "2 questionnaires imported. 1 raised a risk flag" in job_page
    assert "2 questionnaires imported. 1 raised a risk flag" in client.get(detail).content.decode()
    upload_.refresh_from_db()
    assert (upload_.records, upload_.text, upload_.state) == ([], "", "applied")


def test_a_file_with_errors_needs_the_valid_rows_chosen(
    client_for, lead, grace_episode, alan_episode, duty
):
    client = client_for(lead)
    data = iaptus([row(phq9=["1"] * 9), row(nhs=ALAN, on="03/02/2026", phq9=["1"] * 9)])
    upload(client, data)
    run_jobs()
    upload_ = MeasureImport.objects.get()
    detail = reverse("outcomes:measures_import_detail", args=[upload_.public_id])
    page = client.get(detail).content.decode()
    assert "No episode of care covers 3 February 2026" in page
    apply = reverse("outcomes:measures_import_apply", args=[upload_.public_id])
    assert client.post(apply)["Location"] == detail
    assert run_jobs() == [] and not Measure.objects.exists()
    client.post(apply, {"apply_valid_rows": "on"})
    [job] = run_jobs()
    assert job.result["measures"] == 1 and Measure.objects.count() == 1


def test_a_fhir_phq9_whose_total_disagrees_is_shown(client_for, lead, grace_episode):
    client = client_for(lead)
    resource = questionnaire_response(answers=(2,) * 9, total=9)
    upload(client, as_json(resource), "phq9.json")
    run_jobs()
    detail = reverse(
        "outcomes:measures_import_detail", args=[MeasureImport.objects.get().public_id]
    )
    page = client.get(detail).content.decode()
    assert "Stated total 9 does not match the answers, which add up to 18" in page
    assert "There is nothing in this file that can be imported" in page


def test_a_file_the_worker_cannot_read_is_reported(client_for, lead):
    client = client_for(lead)
    upload(client, b'{"resourceType": "Patient"}', "p.json")
    [job] = run_jobs()
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "must be a FHIR QuestionnaireResponse or a Bundle" in page
    assert MeasureImport.objects.get().state == "failed"


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "scores.csv", "The selected file is empty"),
        (b"PK\x03\x04xlsx", "scores.xlsx", "must be a CSV or a FHIR JSON file"),
        (b"%PDF-1.4", "scores.pdf", "must be a CSV or a FHIR JSON file"),
        (b"NHS Number;Appointment Date\n1;2\n", "scores.csv", "separated by commas"),
        ("NHS Number".encode("utf-16-le"), "scores.csv", "CSV UTF-8"),
    ],
)
def test_bad_files_are_refused_with_the_error_on_the_field(client_for, lead, data, name, message):
    response = upload(client_for(lead), data, name)
    assert response.status_code == 200
    page = response.content.decode()
    assert "nhsuk-error-summary" in page and message in page and 'id="id_file-error"' in page
    assert not MeasureImport.objects.exists()


def test_no_file_chosen(client_for, lead):
    response = client_for(lead).post(UPLOAD, {})
    assert "Select a CSV or FHIR JSON file" in response.content.decode()


def test_an_unknown_layout_asks_for_the_columns(client_for, lead, grace_episode, duty):
    client = client_for(lead)
    data = b"Patient,Seen,Q1,Q2,Q3,Q4,Q5,Q6,Q7,Q8,Q9\n9434765919,01/03/2026,1,1,1,1,1,1,1,1,1\n"
    columns = upload(client, data)["Location"]
    upload_ = MeasureImport.objects.get()
    assert columns == reverse("outcomes:measures_import_columns", args=[upload_.public_id])
    page = client.get(columns).content.decode()
    assert "Choose which column holds what" in page and "Patient" in page
    # Nothing chosen for the NHS number: the page says so and keeps what was chosen.
    bad = client.post(columns, {"taken_on": "Seen", "phq9_1": "Q1"})
    page = bad.content.decode()
    assert bad.status_code == 200 and not Job.objects.exists()
    assert "Choose the column that holds the NHS number" in page
    assert '<option value="Seen" selected>' in page
    mapping = {"nhs_number": "Patient", "taken_on": "Seen"}
    mapping |= {f"phq9_{n}": f"Q{n}" for n in range(1, 10)}
    client.post(columns, mapping)
    run_jobs()
    detail = reverse("outcomes:measures_import_detail", args=[upload_.public_id])
    assert "Ready to import" in client.get(detail).content.decode()
    upload_.refresh_from_db()
    assert (upload_.layout, upload_.report["valid"], upload_.text) == ("mapped", 1, "")


def test_a_worker_that_fails_leaves_the_import_to_apply_again(
    client_for, lead, checked_import, monkeypatch
):
    from outcomes.measures_import import applying

    def broken(*args, **kwargs):
        raise RuntimeError("worker lost")

    apply = reverse("outcomes:measures_import_apply", args=[checked_import.public_id])
    monkeypatch.setattr(applying, "check_records", broken)
    client_for(lead).post(apply)
    [job] = run_jobs()
    assert job.state == "failed"
    checked_import.refresh_from_db()
    assert checked_import.state == "checked" and not Measure.objects.exists()
