"""The job page and its errors CSV: who sees them, the self-refresh, and the access log."""

import csv
import io
import uuid

import pytest
from django.urls import reverse

from talkingmoves.audit.models import AccessLog
from talkingmoves.jobs.models import Job
from tests.factories import PartnershipStaffFactory

from .factories import JobFactory

pytestmark = pytest.mark.django_db

REFRESH = '<meta http-equiv="refresh"'


@pytest.fixture
def job(partnership_staff):
    return JobFactory(created_by=partnership_staff, failed=True)


def page(job):
    return reverse("jobs:detail", args=[job.pk])


def errors_csv(job):
    return reverse("jobs:errors", args=[job.pk])


# Only the creator's organisation (the partnership) sees its job; everyone else gets 404.
ROLE_STATUS = [
    ("clinician", 404),
    ("other_clinician", 404),
    ("lead", 404),
    ("partnership", 200),
    ("provider", 404),
    ("admin", 404),
]


@pytest.mark.parametrize(("role", "status"), ROLE_STATUS)
def test_page_is_for_the_creators_organisation_only(cast, client_for, job, role, status):
    assert client_for(cast[role]).get(page(job)).status_code == status


@pytest.mark.parametrize(("role", "status"), ROLE_STATUS)
def test_errors_csv_is_for_the_creators_organisation_only(cast, client_for, job, role, status):
    assert client_for(cast[role]).get(errors_csv(job)).status_code == status


def test_a_colleague_in_the_same_organisation_sees_it(client_for, job, partnership):
    colleague = PartnershipStaffFactory(organisation=partnership)
    assert client_for(colleague).get(page(job)).status_code == 200


def test_an_administrator_sees_their_own_jobs(client_for, admin_user):
    own = JobFactory(created_by=admin_user)
    assert own.organisation is None
    assert client_for(admin_user).get(page(own)).status_code == 200


@pytest.mark.parametrize("url", [page, errors_csv])
def test_anonymous_is_sent_to_sign_in(client, job, url):
    response = client.get(url(job))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_an_unknown_job_is_404(client_for, partnership_staff):
    client = client_for(partnership_staff)
    assert client.get(f"/jobs/{uuid.uuid4()}/").status_code == 404
    assert client.get("/jobs/not-a-uuid/").status_code == 404


@pytest.mark.parametrize("url", [page, errors_csv])
def test_wrong_method_is_405(client_for, partnership_staff, job, url):
    assert client_for(partnership_staff).post(url(job)).status_code == 405


def test_a_running_job_refreshes_itself_and_shows_progress(client_for, partnership_staff):
    running = JobFactory(created_by=partnership_staff, state=Job.State.RUNNING, done=2, total=8)
    html = client_for(partnership_staff).get(page(running)).content.decode()
    assert REFRESH in html
    assert "2 of 8 done (25%)" in html
    assert '<progress max="100" value="25"' in html


def test_a_queued_job_refreshes_itself(client_for, partnership_staff):
    queued = JobFactory(created_by=partnership_staff, total=0)
    html = client_for(partnership_staff).get(page(queued)).content.decode()
    assert REFRESH in html
    assert "Starting" in html


def test_a_finished_job_stops_refreshing_and_shows_its_result(client_for, partnership_staff):
    finished = JobFactory(created_by=partnership_staff, succeeded=True)
    html = client_for(partnership_staff).get(page(finished)).content.decode()
    assert REFRESH not in html
    assert "Added" in html and ">3<" in html


def test_a_failed_job_says_why_and_lists_its_rows_errors(client_for, partnership_staff, job):
    html = client_for(partnership_staff).get(page(job)).content.decode()
    assert REFRESH not in html
    assert "There is a problem" in html
    assert "Row refused, so nothing was changed" in html
    assert errors_csv(job) in html


def test_errors_csv_lists_each_row_with_formulas_defused(client_for, partnership_staff, job):
    response = client_for(partnership_staff).get(errors_csv(job))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [["row", "field", "message"], ["2", "name", "'=Row refused"]]


def test_viewing_and_downloading_are_in_the_access_log(client_for, partnership_staff, job):
    client = client_for(partnership_staff)
    client.get(page(job))
    client.get(errors_csv(job))
    logged = AccessLog.objects.filter(object_id=str(job.pk), actor=partnership_staff)
    assert sorted(logged.values_list("action", flat=True)) == ["export", "view"]
    assert set(logged.values_list("object_type", flat=True)) == {"jobs.job"}
