"""Periods as leads report them: financial years, their quarters, months and dates of their
choosing, picked on the dashboard; what cannot be read is explained and kept."""

from datetime import date

import pytest
from django.urls import reverse

from outcomes.dashboards.periods import Period, parse_period, period_choices
from talkingmoves.audit.models import AccessLog
from tests.dashboards.test_access import ROLES

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2025/26", date(2025, 4, 1), date(2026, 3, 31)),
        ("2025/26 Q1", date(2025, 4, 1), date(2025, 6, 30)),
        ("2025/26 Q2", date(2025, 7, 1), date(2025, 9, 30)),
        ("2025/26 Q3", date(2025, 10, 1), date(2025, 12, 31)),
        ("2025/26 Q4", date(2026, 1, 1), date(2026, 3, 31)),
        ("2025/26  q3", date(2025, 10, 1), date(2025, 12, 31)),
        ("1999/00", date(1999, 4, 1), date(2000, 3, 31)),
        ("2025-10", date(2025, 10, 1), date(2025, 10, 31)),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
        ("2025-12", date(2025, 12, 1), date(2025, 12, 31)),
    ],
)
def test_named_periods_are_read(text, start, end):
    assert parse_period(text) == Period(start, end)


@pytest.mark.parametrize("text", ["", "2025", "2025/27", "2025/26 Q5", "2025/26 Q0", "Q3",
                                  "2025-13", "2025-00", "25/26", "2025/26Q3"])  # fmt: skip
def test_anything_else_is_not_a_period(text):
    with pytest.raises(ValueError):
        parse_period(text)


def test_a_named_period_says_what_it_is_and_links_by_name():
    period = parse_period("2025/26 Q3")
    assert str(period) == "2025/26 Q3 (1 October 2025 to 31 December 2025)"
    assert period.query == "period=2025%2F26+Q3"
    assert str(parse_period("2025-10")) == "October 2025 (1 October 2025 to 31 October 2025)"


def test_the_picker_lists_years_quarters_so_far_and_months():
    choices = dict(period_choices(date(2026, 3, 2)))
    assert choices[""] == "Last 12 months"
    years = [value for value, _ in choices["Financial year (April to March)"]]
    assert years == ["2025/26", "2024/25", "2023/24", "2022/23"]
    quarters = [value for value, _ in choices["Quarter"]]
    assert quarters[:2] == ["2025/26 Q4", "2025/26 Q3"]  # none that has not started
    assert ("2026-03", "March 2026") in choices["Month"]
    assert choices["custom"] == "Dates I choose"


def _page(client, **query):
    return client.get(reverse("dashboards:lead_summary"), query)


def test_a_lead_picks_a_quarter(cast_of_people, lead, client_for):
    response = _page(client_for(lead), period="2025/26 Q3")
    page = response.content.decode()
    assert response.status_code == 200
    assert "2025/26 Q3 (1 October 2025 to 31 December 2025)" in page
    assert '<option value="2025/26 Q3" selected>' in page
    assert "period=2025%2F26+Q3" in page  # the downloads are for the same quarter


def test_a_quarter_downloads_for_its_dates(cast_of_people, lead, client_for):
    url = reverse("dashboards:lead_dashboard_csv", args=["recovery"])
    response = client_for(lead).get(url, {"period": "2025/26 Q3"})
    assert response.status_code == 200
    assert "recovery-2025-10-01-to-2025-12-31.csv" in response["Content-Disposition"]


@pytest.mark.parametrize(
    ("query", "message", "anchor"),
    [
        ({"period": "2025/27"}, "Choose a period from the list", "period"),
        ({"period": "custom"}, "Enter the start date", "start-day"),
        ({"period": "custom", "start-day": "1", "start-month": "4", "start-year": "2025"},
         "Enter the end date", "end-day"),
        ({"period": "custom", "start-day": "1", "start-month": "13", "start-year": "2025",
          "end-day": "3", "end-month": "4", "end-year": "2026"},
         "Start date must be a real date", "start-month"),
    ],
)  # fmt: skip
def test_bad_choices_are_explained_and_kept(lead, client_for, query, message, anchor):
    response = _page(client_for(lead), **query)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert f'<a href="#id_{anchor}">{message}</a>' in page
    for name, value in query.items():
        if name != "period":
            assert f'name="{name}" type="text" value="{value}"' in page
    if query["period"] == "custom":
        assert '<option value="custom" selected>' in page
    assert "Referrals and uptake" not in page


def test_dates_typed_with_the_list_left_alone_are_the_dates_shown(lead, client_for):
    query = {"period": "", "start-day": "1", "start-month": "4", "start-year": "2025",
             "end-day": "30", "end-month": "6", "end-year": "2025"}  # fmt: skip
    page = _page(client_for(lead), **query).content.decode()
    assert "1 April 2025 to 30 June 2025" in page


def test_a_bad_period_download_goes_back_to_the_page(lead, client_for):
    url = reverse("dashboards:lead_dashboard_csv", args=["recovery"])
    response = client_for(lead).get(url, {"period": "2025/26 Q9"})
    assert response.status_code == 302
    assert "period=2025%2F26+Q9" in response.url
    assert not AccessLog.objects.filter(action=AccessLog.Action.EXPORT).exists()


@pytest.mark.parametrize("role", ROLES)
def test_only_leads_see_a_named_period(cast, client_for, role):
    for url in (
        reverse("dashboards:lead_summary"),
        reverse("dashboards:lead_dashboard_csv", args=["score-change"]),
    ):
        response = client_for(cast[role]).get(url, {"period": "2025/26"})
        assert response.status_code == (200 if role == "lead" else 403)


def test_anonymous_users_are_sent_to_sign_in_for_a_named_period(db, client):
    response = client.get(reverse("dashboards:lead_summary"), {"period": "2025/26"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
