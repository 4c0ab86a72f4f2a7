"""The dashboard's sections for the hand-worked cast (tests/dashboards/conftest.py): the
measures leads are judged on, on their pages and in their CSVs, and periods refused."""

import csv
import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from outcomes.models import Measure
from referrals.models import Referral
from talkingmoves.audit.models import AccessLog
from tests.dashboards.lead_cast import attended, episode_with, referral
from tests.referrals.factories import ServiceUserFactory

pytestmark = pytest.mark.usefixtures("frozen")
QUERY_2025 = {
    "start-day": "1", "start-month": "1", "start-year": "2025",
    "end-day": "31", "end-month": "12", "end-year": "2025",
}  # fmt: skip
SECTIONS = ["summary", "outcomes", "groups", "waits", "engagement", "activity", "equity"]
SECTIONS += ["referrals", "trends", "plans"]
NEW_TABLES = [
    "waits", "long-gaps", "engagement", "episode-uptake", "completeness", "trends",
    "recovery-by-group", "recovery-by-provider", "recovery-by-activity-type",
    "activity-levels", "activity-change", "plan-check-ins", "plan-goals", "plan-minutes",
]  # fmt: skip
HIDDEN = "fewer than 8"


def rows_of(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_waits_page_for_the_cast(cast_of_people, lead, client_for):
    page = client_for(lead).get(reverse("dashboards:lead_waits"), QUERY_2025).content.decode()
    # A to E and J had their first treatment on 13 January 2025, a week after referral; I's
    # was in 2024. A's and B's first sessions: 7 and 3 days after sending.
    assert "Referral to first treatment appointment" in page
    assert 'id="chart-waits-title"' in page
    assert "Treatment standard 75%" in page
    assert "100% (6 of 6)" in page
    assert "100% (2 of 2)" in page


def test_summary_is_one_short_page(cast_of_people, lead, client_for):
    page = client_for(lead).get(reverse("dashboards:lead_summary"), QUERY_2025).content.decode()
    assert page.count('class="nhsuk-card__heading') == 4
    assert "tm-chart" not in page and "<table" not in page
    assert '<span aria-current="page">Summary</span>' in page
    # The other sections link with the same period.
    query = "start-day=1&amp;start-month=1&amp;start-year=2025"
    assert f'href="{reverse("dashboards:lead_trends")}?{query}' in page


def test_each_section_page_has_its_figures(cast_of_people, lead, client_for):
    client = client_for(lead)
    for section, expected in [
        ("groups", "Recovery by step of care and by group"),
        ("engagement", "NHS target 90%"),
        ("engagement", "Exercise-referral average 57%"),
        ("activity", "No episode has a second weekly-minutes record"),
        ("trends", 'id="chart-trends-title"'),
    ]:
        page = client.get(reverse(f"dashboards:lead_{section}"), QUERY_2025).content.decode()
        assert expected in page, section


def test_waits_csv_hides_small_counts(cast_of_people, lead, client_for):
    url = reverse("dashboards:lead_dashboard_csv", args=["waits"])
    response = client_for(lead).get(url, QUERY_2025)
    assert "waits-2025-01-01-to-2025-12-31.csv" in response["Content-Disposition"]
    rows = rows_of(response)
    assert rows[0][:4] == ["Wait", "Started in the period", "Within 6 weeks", "Within 6 weeks (%)"]
    treatment = rows[1]
    assert treatment[0] == "Referral to first treatment appointment"
    # 6 started, all within 6 weeks: every count, rate, interval and the median hidden.
    assert treatment[1:10] == [HIDDEN] * 9
    assert rows[-1][0].startswith("To protect people's privacy")
    log = AccessLog.objects.get(action=AccessLog.Action.EXPORT)
    assert log.object_id == "lead:waits"


@pytest.mark.parametrize("table", NEW_TABLES)
def test_every_new_table_downloads_published(cast_of_people, lead, client_for, table):
    response = client_for(lead).get(
        reverse("dashboards:lead_dashboard_csv", args=[table]), QUERY_2025
    )
    assert response.status_code == 200
    rows = rows_of(response)
    counts = [cell for row in rows[1:-1] for cell in row if cell.isdigit()]
    # Published counts are 0 or rounded to 5; no 1 to 7 leaves the service.
    assert all(int(cell) % 5 == 0 for cell in counts if len(cell) <= 3 and int(cell) < 8)
    assert rows[-1][0].startswith("To protect people's privacy")


@pytest.mark.parametrize("table", NEW_TABLES)
def test_an_empty_period_downloads_empty_new_tables(cast_of_people, lead, client_for, table):
    query = {**QUERY_2025, "start-year": "2023", "end-year": "2023"}
    url = reverse("dashboards:lead_dashboard_csv", args=[table])
    assert client_for(lead).get(url, query).status_code == 200


@pytest.mark.parametrize("section", SECTIONS)
def test_bad_period_on_a_section_is_explained_and_kept(lead, client_for, section):
    query = {**QUERY_2025, "start-day": "32", "end-year": "twenty"}
    response = client_for(lead).get(reverse(f"dashboards:lead_{section}"), query)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert 'name="start-day" type="text" value="32"' in page
    assert 'name="end-year" type="text" value="twenty"' in page
    assert '<details class="nhsuk-details tm-filters" open>' in page
    assert "tm-chart" not in page and "<table" not in page
    # The sections still link, without the period that is not valid.
    assert f'href="{reverse("dashboards:lead_summary")}"' in page or section == "summary"


def test_unknown_period_parameters_are_ignored(cast_of_people, lead, client_for):
    response = client_for(lead).get(reverse("dashboards:lead_waits"), {"colour": "blue"})
    assert response.status_code == 200
    assert "There is a problem" not in response.content.decode()


def test_new_csv_with_bad_dates_goes_back_to_the_dashboard(lead, client_for):
    url = reverse("dashboards:lead_dashboard_csv", args=["trends"])
    response = client_for(lead).get(url, {**QUERY_2025, "end-month": "13"})
    assert response.status_code == 302
    assert not AccessLog.objects.filter(action=AccessLog.Action.EXPORT).exists()


def test_a_section_that_does_not_exist_is_404(lead, client_for):
    response = client_for(lead).get("/outcomes/dashboard/service/everything/")
    assert response.status_code == 404


def test_section_queries_do_not_grow_with_data(cast_of_people, lead, client_for):
    """The same number of queries for each section with ten more people, their appointments,
    activity and weekly minutes: the measures aggregate in the database."""
    client = client_for(lead)
    names = ["waits", "engagement", "groups", "activity", "trends"]

    def counts():
        found = {}
        for name in names:
            with CaptureQueriesContext(connection) as queries:
                client.get(reverse(f"dashboards:lead_{name}"), QUERY_2025)
            found[name] = len(queries)
        return found

    counts()  # warm per-process caches
    before = counts()
    walk = Referral.objects.filter(activity__name="Park walk").first().activity
    clinician = Referral.objects.first().created_by
    for n in range(10):
        person = ServiceUserFactory(service=lead.organisation, assigned_clinician=clinician)
        episode = episode_with(person, first=(15, 10), last=(4 + n, 3), sessions=3,
                               ended_on=date(2025, 8, 1))  # fmt: skip
        for day, minutes in ((date(2025, 1, 6), 20), (date(2025, 7, 1), 40 * n)):
            Measure.objects.create(
                episode=episode, kind="activity_minutes", taken_on=day, moderate_minutes=minutes,
                vigorous_minutes=0, total=minutes, recorded_by=clinician,
            )  # fmt: skip
        ref = referral(person, walk, status="attending", sent=date(2025, 5, 1), answered_days=1)
        attended(ref, date(2025, 5, 9))
    assert counts() == before
