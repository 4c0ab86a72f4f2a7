"""The service lead's dashboard page and CSV downloads: the figures shown with their
denominators, periods chosen and refused, targets set, and queries that do not grow."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse

from outcomes.dashboards.lead import comparison as cmp
from outcomes.models import Episode, OutcomeSettings
from outcomes.services import episodes_recompute
from referrals.models import Referral
from talkingmoves.audit.models import AccessLog
from tests.dashboards.lead_cast import attended, episode_with, referral
from tests.referrals.factories import ServiceUserFactory

QUERY_2025 = {
    "start-day": "1", "start-month": "1", "start-year": "2025",
    "end-day": "31", "end-month": "12", "end-year": "2025",
}  # fmt: skip

pytestmark = pytest.mark.usefixtures("frozen")


def test_sections_show_the_figures_with_denominators_and_warnings(
    cast_of_people, lead, client_for, django_assert_max_num_queries
):
    client = client_for(lead)

    def section(name):
        return client.get(reverse(f"dashboards:lead_{name}"), QUERY_2025).content.decode()

    # Session, user and device; twice a savepoint and three settings for the dashboard's
    # queries (the kept figures set their own); eight for the kept figures (funnel, its
    # median, messages sent and answered, outcomes, equity, providers, activity types); one
    # each for the treatment and activity waits, uptake and paired scores; the service's
    # name; the session saved.
    with django_assert_max_num_queries(29):
        summary = section("summary")
    assert "1 January 2025 to 31 December 2025" in summary
    assert "percentage points" in summary and "95% confidence interval" in summary
    assert "Exercise-referral schemes average about 57%" in summary
    assert "NHS target 90%" in summary
    outcomes = section("outcomes")
    assert "Anxiety outcomes use the GAD-7 only" in outcomes
    assert "Too few to compare" in outcomes
    assert "50% (1 of 2)" in outcomes  # the recovery bar for those who took up
    assert "Target 50%" in outcomes
    referrals = section("referrals")
    assert "Exercise-referral schemes average about 57% uptake" in referrals
    assert "<strong>5.0 days</strong>" in referrals
    assert "Riverside Walks" in referrals
    equity = section("equity")
    assert equity.count('<svg class="tm-chart"') == 5
    pages = [summary, outcomes, referrals, equity]
    pages += [section(name) for name in ("groups", "waits", "engagement", "activity", "trends")]
    for page in pages:
        assert "<script" not in page.split("</head>")[1].replace('<script src="/static/js/', "")
        # Nothing from the other service, and no one is named.
        assert "Zed" not in page  # every family name in the cast starts "Zed"


def test_targets_drawn_are_the_services_own(cast_of_people, lead, client_for):
    OutcomeSettings.objects.create(service=cast_of_people, recovery_target=55)
    page = client_for(lead).get(reverse("dashboards:lead_outcomes"), QUERY_2025)
    assert "Target 55%" in page.content.decode()


def test_csv_download_is_the_same_table_and_is_logged(cast_of_people, lead, client_for):
    url = reverse("dashboards:lead_dashboard_csv", args=["outcomes"])
    response = client_for(lead).get(url, QUERY_2025)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "outcomes-2025-01-01-to-2025-12-31.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    # The caveat first, then the table; its note and the privacy rule last.
    assert rows[0] == [cmp.CAVEAT]
    assert rows[1] == [
        "Outcome", "Group", "Number", "Denominator", "Rate (%)",
        "95% confidence interval low", "95% confidence interval high", "Note", "Target (%)",
    ]  # fmt: skip
    # 1 of 2 on the lead's page; leaving it, 1 and 2 are hidden, and the rate with them.
    hidden = "fewer than 8"
    assert rows[2] == [
        "Recovery", "Took up activity (recorded by the provider)", hidden, hidden, hidden,
        hidden, hidden, "Too few to compare", "50",
    ]  # fmt: skip
    assert rows[-1][0].startswith("To protect people's privacy, counts from 1 to 7")
    log = AccessLog.objects.get(action=AccessLog.Action.EXPORT)
    assert (log.actor, log.object_id) == (lead, "lead:outcomes")


def test_funnel_csv(cast_of_people, lead, client_for):
    url = reverse("dashboards:lead_dashboard_csv", args=["funnel"])
    response = client_for(lead).get(url, QUERY_2025)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    hidden = "fewer than 8"  # 4 referred: every count and share is hidden once downloaded
    assert rows[:8] == [
        ["Stage", "People", "Of referred (%)"],
        ["Referred", hidden, hidden],
        ["Accepted by the provider", hidden, hidden],
        ["Attended at least once (provider's register)", hidden, hidden],
        ["Said they went (self-reported only)", "0", hidden],
        ["Completed", hidden, hidden],
        ["Signposted", hidden, ""],
        ["Signposted and said they took it up", hidden, hidden],
    ]


def test_an_empty_period_says_so_plainly(cast_of_people, lead, client_for):
    query = {**QUERY_2025, "start-year": "2023", "end-year": "2023"}
    response = client_for(lead).get(reverse("dashboards:lead_summary"), query)
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is nothing to show for 1 January 2023 to 31 December 2023" in page
    assert "tm-chart" not in page


def test_an_empty_period_downloads_empty_tables(cast_of_people, lead, client_for):
    query = {**QUERY_2025, "start-year": "2023", "end-year": "2023"}
    for table in ["funnel", "uptake", "nudges", "outcomes", "score-change", "equity-age-band"]:
        response = client_for(lead).get(
            reverse("dashboards:lead_dashboard_csv", args=[table]), query
        )
        assert response.status_code == 200, table


def test_a_new_service_sees_an_empty_dashboard(lead, client_for):
    response = client_for(lead).get(reverse("dashboards:lead_summary"))
    assert "There is nothing to show for 3 March 2025 to 2 March 2026" in response.content.decode()


@pytest.mark.parametrize(
    ("changes", "message", "anchor"),
    [
        ({"start-day": "31", "start-month": "2"}, "Start date must be a real date", "start-day"),
        ({"end-month": ""}, "End date must include a month", "end-month"),
        ({"end-year": "25"}, "Year must include 4 numbers", "end-year"),
        ({"end-year": "2024"}, "End date must be the same as or after the start date", "end-day"),
        ({"start-day": "x"}, "Start date must be a real date", "start-day"),
    ],
)
def test_bad_dates_are_explained_and_kept(lead, client_for, changes, message, anchor):
    query = {**QUERY_2025, **changes}
    response = client_for(lead).get(reverse("dashboards:lead_summary"), query)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert f'<a href="#id_{anchor}">{message}</a>' in page
    assert "nhsuk-error-message" in page
    for name, value in changes.items():
        if value:
            assert f'name="{name}" type="text" value="{value}"' in page
    assert "nhsuk-card" not in page  # no figures for a period that is not valid


def test_csv_with_bad_dates_goes_back_to_the_page(lead, client_for):
    query = {**QUERY_2025, "start-day": "32"}
    url = reverse("dashboards:lead_dashboard_csv", args=["funnel"])
    response = client_for(lead).get(url, query)
    assert response.status_code == 302
    assert response.url.startswith(reverse("dashboards:lead_dashboard") + "?")
    assert "start-day=32" in response.url
    assert not AccessLog.objects.filter(action=AccessLog.Action.EXPORT).exists()


def test_lead_sets_targets(lead, client_for):
    client = client_for(lead)
    response = client.post(
        reverse("dashboards:lead_targets"),
        {"recovery_target": "52", "reliable_recovery_target": "49",
         "reliable_improvement_target": "68"},
    )  # fmt: skip
    assert response.status_code == 302
    saved = OutcomeSettings.objects.get(service=lead.organisation)
    assert (saved.recovery_target, saved.reliable_recovery_target) == (52, 49)
    assert saved.reliable_improvement_target == 68
    assert AccessLog.objects.filter(action=AccessLog.Action.UPDATE, actor=lead).exists()


def test_bad_targets_are_refused_and_kept(lead, client_for):
    response = client_for(lead).post(
        reverse("dashboards:lead_targets"),
        {"recovery_target": "150", "reliable_recovery_target": "",
         "reliable_improvement_target": "sixty"},
    )  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 200
    assert "Recovery target must be 100% or less" in page
    assert "Enter the reliable recovery target" in page
    assert "Reliable improvement target must be a whole number" in page
    assert 'value="150"' in page and 'value="sixty"' in page
    assert not OutcomeSettings.objects.filter(service=lead.organisation).exists()


def test_query_count_does_not_grow_with_data(
    cast_of_people, lead, client_for, django_assert_max_num_queries
):
    """The same number of queries for ten times the people."""
    client = client_for(lead)
    client.get(reverse("dashboards:lead_summary"), QUERY_2025)  # warm caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        client.get(reverse("dashboards:lead_summary"), QUERY_2025)
    walk = Referral.objects.filter(activity__name="Park walk").first().activity
    for n in range(10):
        person = ServiceUserFactory(
            service=lead.organisation, assigned_clinician=Referral.objects.first().created_by
        )
        episode_with(person, first=(15, 10), last=(4 + n, 3), sessions=3,
                     ended_on=date(2025, 8, 1))  # fmt: skip
        ref = referral(person, walk, status="attending", sent=date(2025, 5, 1), answered_days=1)
        attended(ref, date(2025, 5, 9))
    with CaptureQueriesContext(connection) as after:
        client.get(reverse("dashboards:lead_summary"), QUERY_2025)
    assert len(after) == len(before)


def test_recovery_csv_rounds_counts_and_hides_rates_from_small_ones(
    cast_of_people, lead, client_for
):
    walk = Referral.objects.filter(activity__name="Park walk").first().activity
    clinician = Referral.objects.first().created_by
    for n in range(10):  # 10 more who took up: PHQ-9 15 -> 4 to 13, so 6 recover
        person = ServiceUserFactory(service=lead.organisation, assigned_clinician=clinician)
        episode_with(person, first=(15, 10), last=(4 + n, 3), sessions=3,
                     ended_on=date(2025, 8, 1))  # fmt: skip
        ref = referral(person, walk, status="attending", sent=date(2025, 5, 1), answered_days=1)
        attended(ref, date(2025, 5, 9))
    episodes_recompute(Episode.objects.all())
    url = reverse("dashboards:lead_dashboard_csv", args=["recovery"])
    rows = list(csv.reader(io.StringIO(client_for(lead).get(url, QUERY_2025).content.decode(
        "utf-8-sig"))))  # fmt: skip
    assert rows[0] == [cmp.CAVEAT]
    assert rows[1][:8] == [
        "Group", "Ended in the period", "Left out: fewer than 2 treatment sessions",
        "Left out: no paired PHQ-9 and GAD-7 scores", "Left out: not a clinical case at the start",
        "Recovered", "Counted for recovery", "Recovery (%)",
    ]  # fmt: skip
    hidden = "fewer than 8"
    # 12 ended and counted (10 to the nearest 5); 7 recovered, so the rate is hidden too.
    assert rows[2] == [
        "Took up activity (recorded by the provider)", "10", "0", "0", "0", hidden, "10",
        hidden, hidden, hidden, "0", "Too few to compare",
    ]  # fmt: skip
    # The page shows the lead every figure.
    page = client_for(lead).get(reverse("dashboards:lead_outcomes"), QUERY_2025)
    assert "<strong>58%</strong> (7 of 12 recovered)" in page.content.decode()
