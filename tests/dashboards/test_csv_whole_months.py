"""Figures that leave the lead's screen are for whole months only (issue 12, ADR 013): a
CSV for dates that are not whole months is refused with a clear page, and no link to one is
offered; the rolling 12 months is downloaded as the last 12 whole months."""

from datetime import date

import pytest
from django.urls import reverse

from outcomes.dashboards.periods import (
    Period,
    default_period,
    export_period,
    is_whole_months,
    parse_period,
)
from tests.conftest import FROZEN_AT

pytestmark = pytest.mark.usefixtures("frozen")
TODAY = date.fromisoformat(FROZEN_AT[:10])
PART_OF_MAY = {
    "period": "custom",
    "start-day": "1", "start-month": "5", "start-year": "2025",
    "end-day": "14", "end-month": "5", "end-year": "2025",
}  # fmt: skip
WHOLE_SPRING = {
    "period": "custom",
    "start-day": "1", "start-month": "3", "start-year": "2025",
    "end-day": "31", "end-month": "5", "end-year": "2025",
}  # fmt: skip


@pytest.mark.parametrize(
    "period",
    [
        parse_period("2025/26"),
        parse_period("2025/26 Q3"),
        parse_period("2024-02"),  # a leap-year February
        Period(date(2025, 3, 1), date(2025, 5, 31)),
    ],
)
def test_whole_months_are_downloaded_as_they_are(period):
    assert is_whole_months(period)
    assert export_period(period, TODAY) == period


@pytest.mark.parametrize(
    "period",
    [
        Period(date(2025, 5, 1), date(2025, 5, 14)),
        Period(date(2025, 5, 2), date(2025, 5, 31)),
        Period(date(2024, 2, 1), date(2024, 2, 28)),  # 29 February 2024 left out
    ],
)
def test_other_dates_are_not_downloaded(period):
    assert not is_whole_months(period)
    assert export_period(period, TODAY) is None


def test_the_rolling_12_months_is_downloaded_as_the_last_12_whole_months():
    on = date(2026, 3, 2)
    chosen = export_period(default_period(on), on)
    assert (chosen.start, chosen.end) == (date(2025, 3, 1), date(2026, 2, 28))


def test_a_partial_month_csv_is_refused_with_a_clear_page(service, lead, client_for):
    url = reverse("dashboards:lead_dashboard_csv", args=["funnel"])
    response = client_for(lead).get(url, PART_OF_MAY)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Downloads are for whole months only" in page
    assert "1 May 2025 to 14 May 2025" in page
    assert "Content-Disposition" not in response


def test_a_partial_month_page_offers_no_csv_and_says_why(service, lead, client_for):
    page = client_for(lead).get(reverse("dashboards:lead_referrals"), PART_OF_MAY)
    text = page.content.decode()
    assert page.status_code == 200
    assert ".csv" not in text
    assert "Spreadsheet downloads are for whole months only" in text


def test_whole_months_csv_is_named_for_its_months(service, lead, client_for):
    client = client_for(lead)
    page = client.get(reverse("dashboards:lead_referrals"), WHOLE_SPRING).content.decode()
    assert "funnel.csv?period=custom" not in page  # links carry the dates
    assert "start-day=1&amp;start-month=3&amp;start-year=2025" in page
    url = reverse("dashboards:lead_dashboard_csv", args=["funnel"])
    response = client.get(url, WHOLE_SPRING)
    assert response.status_code == 200
    assert "funnel-2025-03-01-to-2025-05-31.csv" in response["Content-Disposition"]


def test_the_default_period_downloads_the_last_12_whole_months(service, lead, client_for):
    client = client_for(lead)
    whole = export_period(default_period(TODAY), TODAY)
    page = client.get(reverse("dashboards:lead_referrals")).content.decode()
    assert f"they cover {whole}" in page
    response = client.get(reverse("dashboards:lead_dashboard_csv", args=["funnel"]))
    assert response.status_code == 200
    assert f"funnel-{whole.start}-to-{whole.end}.csv" in response["Content-Disposition"]
