"""The "Activity plans" section of the lead dashboard: its page, its CSVs (published and
access-logged), its place in the navigation, the lead's service only, and a query count that
does not grow with plans."""

import csv
import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from talkingmoves.audit.models import AccessLog
from tests import factories
from tests.dashboards.plan_cast import person, plan, plan_cast, weekly_minutes

pytestmark = pytest.mark.usefixtures("frozen")
Q3 = {"period": "2025/26 Q3"}
TABLES = ["plan-check-ins", "plan-goals", "plan-minutes"]
HIDDEN = "fewer than 8"


@pytest.fixture
def cast(clinician, other_clinician):
    return plan_cast(clinician, other_clinician)


def rows_of(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_page_shows_the_figures_and_how_they_are_worked_out(cast, lead, client_for):
    response = client_for(lead).get(reverse("dashboards:lead_plans"), Q3)
    assert response.status_code == 200
    page = response.content.decode()
    assert '<span aria-current="page">Activity plans</span>' in page
    # The header keeps "Dashboard" marked on every section.
    summary = reverse("dashboards:lead_summary")
    assert f'href="{summary}" aria-current="true"><strong' in page
    assert "2025/26 Q3 (1 October 2025 to 31 December 2025)" in page
    assert "People with a plan agreed</dt>" in page
    assert "43% (10 of 23; 95% confidence interval 26% to 63%)" in page
    assert "67% (2 of 3; 95% confidence interval 21% to 94%)" in page
    assert "+40.0 minutes a week (2 people; 95% confidence interval -214.1 to +294.1)" in page
    assert "Plans made but not sent (not counted as agreed): 1" in page
    assert "Check-ins not asked: weeks after the plan was replaced: 4" in page
    assert "What these figures do not show" in page
    assert "A check-in is due for each week of a sent plan" in page
    assert 'id="chart-plan-goals-title"' in page
    for table in TABLES:
        csv_url = reverse("dashboards:lead_dashboard_csv", args=[table])
        assert f'href="{csv_url}?period=2025%2F26+Q3"' in page
    # Nobody is named.
    for someone in cast.values():
        assert someone.family_name not in page


def test_an_empty_period_says_so(cast, lead, client_for):
    page = client_for(lead).get(reverse("dashboards:lead_plans"), {"period": "2023-05"})
    assert "No plans were sent, due a check-in or ended in this period." in page.content.decode()


@pytest.mark.parametrize("table", TABLES)
def test_each_table_downloads_published_and_logged(cast, lead, client_for, table):
    url = reverse("dashboards:lead_dashboard_csv", args=[table])
    response = client_for(lead).get(url, Q3)
    assert response.status_code == 200
    assert f"{table}-2025-10-01-to-2025-12-31.csv" in response["Content-Disposition"]
    rows = rows_of(response)
    assert rows[0][0].startswith("Check-ins are what people say they managed")
    assert rows[1][0] == "Group"
    assert rows[2][0] == "All people with a plan"
    assert rows[-1][0].startswith("To protect people's privacy")
    counts = [cell for row in rows[2:-2] for cell in row if cell.isdigit()]
    assert all(int(cell) == 0 or int(cell) % 5 == 0 for cell in counts if int(cell) < 8)
    log = AccessLog.objects.get(action=AccessLog.Action.EXPORT)
    assert log.object_id == f"lead:{table}"


def test_the_check_ins_csv_for_the_cast(cast, lead, client_for):
    url = reverse("dashboards:lead_dashboard_csv", args=["plan-check-ins"])
    rows = rows_of(client_for(lead).get(url, Q3))
    assert rows[1][:5] == [
        "Group",
        "People with a plan agreed",
        "Left out: weeks after the plan was replaced",
        "Check-ins asked",
        "Check-ins answered",
    ]
    # 3 people, 4 weeks left out, 23 asked, 10 answered: 3 and 4 are hidden, 23 -> 25,
    # 10 -> 10; the rate and its interval come from 10 of 23, both shown.
    assert rows[2][1:8] == [HIDDEN, HIDDEN, "25", "10", "43", "26", "63"]


def test_whole_months_only_for_downloads(cast, lead, client_for):
    url = reverse("dashboards:lead_dashboard_csv", args=["plan-goals"])
    query = {"start-day": "2", "start-month": "10", "start-year": "2025",
             "end-day": "31", "end-month": "12", "end-year": "2025"}  # fmt: skip
    assert client_for(lead).get(url, query).status_code == 400
    page = client_for(lead).get(reverse("dashboards:lead_plans"), query).content.decode()
    assert "Spreadsheet downloads are for whole months only" in page


def test_each_lead_sees_their_own_services_plans_only(cast, other_service, client_for):
    other_lead = factories.ServiceLeadFactory(organisation=other_service)
    page = client_for(other_lead).get(reverse("dashboards:lead_plans"), Q3).content.decode()
    # The outsider's plan: 6 weeks asked, the last answered (7 x 60 = 420: goal reached).
    assert "17% (1 of 6;" in page
    assert "100% (1 of 1;" in page
    assert "(10 of 23;" not in page


def test_queries_do_not_grow_with_plans(cast, clinician, lead, client_for):
    client = client_for(lead)

    def count():
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("dashboards:lead_plans"), Q3)
        return len(queries)

    count()
    before = count()
    for n in range(6):
        someone = person(clinician, gender="1")
        plan(someone, starts=date(2025, 10, 6 + n), start_minutes=10 * n,
             answers={week: (3, 10 + n) for week in range(1, 7)})  # fmt: skip
        weekly_minutes(someone, (date(2025, 11, 1), 20 * n))
    assert count() == before
