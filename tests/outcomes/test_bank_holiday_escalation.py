"""Risk-alert escalation waits out England and Wales bank holidays: nobody is at work to be
escalated to, so the leads hear on the next working day with the hours left over."""

import time_machine

from outcomes import services
from outcomes.tasks import check_risk_alerts
from tests.outcomes.risk_alert_support import (  # noqa: F401  (fixtures by name)
    R,
    at,
    colleague_fixture,
    duty_fixture,
    flag_by_colleague,
)
from tests.outcomes.safety_fixtures import episode_fixture, person_fixture  # noqa: F401


def test_a_christmas_eve_afternoon_flag_escalates_after_the_holidays_with_the_hours_left(
    clinician, colleague, lead, episode, duty
):
    # Thursday 24 December 2026, 15:00 (GMT): two of the four working hours are left that
    # day; 25 December, the weekend and the Boxing Day substitute (Monday 28) are not
    # working days, so the other two end at 11:00 on Tuesday 29 December.
    with time_machine.travel("2026-12-24 15:00Z", tick=False) as clock:
        flag = flag_by_colleague(episode, colleague)
        assert flag.escalate_at == at("2026-12-29 11:00Z")
        for moment in ("2026-12-24 17:00Z", "2026-12-25 12:00Z", "2026-12-28 12:00Z"):
            clock.move_to(moment)
            assert check_risk_alerts()["escalated"] == 0
        clock.move_to("2026-12-29 10:59Z")
        assert check_risk_alerts()["escalated"] == 0
        clock.move_to("2026-12-29 11:00Z")
        assert check_risk_alerts()["escalated"] == 1
        clock.move_to("2026-12-30 11:00Z")
        assert check_risk_alerts()["escalated"] == 1
    assert flag.alerts.filter(reason=R.ESCALATED, recipient_user=lead).count() == 2


def test_good_friday_and_easter_monday_are_skipped(clinician, colleague, lead, episode, duty):
    # Thursday 2 April 2026, 16:00 BST (15:00 UTC): one hour left that day, then Tuesday.
    with time_machine.travel("2026-04-02 15:00Z", tick=False) as clock:
        flag = flag_by_colleague(episode, colleague)
        assert flag.escalate_at == at("2026-04-07 11:00Z")  # 12:00 BST
        for moment in ("2026-04-03 11:00Z", "2026-04-06 11:00Z", "2026-04-07 10:59Z"):
            clock.move_to(moment)
            assert check_risk_alerts()["escalated"] == 0
        clock.move_to("2026-04-07 11:00Z")
        assert check_risk_alerts()["escalated"] == 1
    assert flag.alerts.filter(reason=R.ESCALATED, recipient_user=lead).count() == 1


def test_a_review_acknowledged_before_easter_is_due_the_tuesday_after(
    clinician, colleague, lead, episode, duty
):
    with time_machine.travel("2026-04-02 09:00Z", tick=False):  # Thursday 10:00 BST
        flag = flag_by_colleague(episode, colleague)
        alert = flag.alerts.get(reason=R.ASSIGNED_CLINICIAN)
        services.risk_alert_acknowledge(alert=alert, by=clinician)
        flag.refresh_from_db()
    assert flag.review_due_at == at("2026-04-07 09:00Z")  # one working day: Tuesday 10:00 BST


def test_the_settings_page_says_bank_holidays_are_not_working_hours(client_for, lead):
    page = client_for(lead).get("/outcomes/settings/risk-alerts/")
    assert "not on bank holidays in England and Wales" in page.content.decode()
