"""Attendance only the service user reported ("I went" through a message link) is not
uptake: the funnel, equity and provider tables count it as a group of its own (issue 12)."""

from datetime import date

import pytest

from outcomes.dashboards.lead import equity as equity_sel
from outcomes.dashboards.lead import selectors as sel
from outcomes.dashboards.periods import Period
from referrals.models import Attendance, Referral
from referrals.pathway.services import first_attended_refresh
from tests.dashboards.lead_cast import referral
from tests.providers.factories import ActivityFactory
from tests.referrals.factories import ServiceUserFactory

MAY_2025 = Period(start=date(2025, 5, 1), end=date(2025, 5, 31))


def _session(row: Referral, day: date, source: str) -> None:
    Attendance.objects.create(referral=row, session_date=day, status="attended", source=source)
    first_attended_refresh(row)


@pytest.fixture
def two_people(clinician):
    """P said they went on 10 May 2025 (nothing on the register); Q's provider recorded a
    session on 12 May 2025. Both were referred on 2 May 2025 to the same walk."""
    service = clinician.organisation
    walk = ActivityFactory(takes_referrals=True, referral_email="walk@example.org.uk")
    people = [
        ServiceUserFactory(service=service, assigned_clinician=clinician, gender="2")
        for _ in range(2)
    ]
    said = referral(people[0], walk, status="attending", sent=date(2025, 5, 2), answered_days=1)
    _session(said, date(2025, 5, 10), Attendance.SOURCE_SELF_REPORTED)
    seen = referral(people[1], walk, status="attending", sent=date(2025, 5, 2), answered_days=1)
    _session(seen, date(2025, 5, 12), Attendance.SOURCE_PROVIDER)
    return service, said


def test_the_funnel_counts_a_self_report_apart_from_attendance(two_people):
    service, _ = two_people
    funnel = sel.referral_funnel(service.pk, MAY_2025)
    assert (funnel.referred, funnel.started, funnel.self_reported) == (2, 1, 1)
    assert funnel.uptake == sel.Rate(1, 2)
    # Time to first session is to the first on the register: 2 May to 12 May.
    assert (funnel.median_days_to_first_session, funnel.first_sessions) == (10, 1)


def test_equity_counts_a_self_report_apart_from_took_up(two_people):
    service, _ = two_people
    equity = equity_sel.equity(service.pk, MAY_2025)
    assert (equity.referred, equity.took_up, equity.self_reported) == (2, 1, 1)
    female = {row.label: row for row in equity.dimensions["gender"]}["Female"]
    assert (female.took_up, female.self_reported) == (1, 1)


def test_providers_count_a_self_report_apart_from_started(two_people):
    service, _ = two_people
    (row,) = sel.referral_performance(service.pk, MAY_2025, by=sel.BY_PROVIDER)
    assert (row.referred, row.started, row.self_reported) == (2, 1, 1)


def test_a_session_the_provider_records_later_moves_them_to_took_up(two_people):
    service, said = two_people
    _session(said, date(2025, 5, 20), Attendance.SOURCE_PROVIDER)
    funnel = sel.referral_funnel(service.pk, MAY_2025)
    assert (funnel.started, funnel.self_reported) == (2, 0)
    said.refresh_from_db()
    assert (said.first_attended_on, said.provider_attended_on) == (
        date(2025, 5, 10),
        date(2025, 5, 20),
    )
