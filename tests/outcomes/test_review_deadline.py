"""Acknowledging a risk alert pauses escalation only until the review is due (one working
day after the first acknowledgement), not for ever: an acknowledged flag nobody reviews goes
to the service leads as "review overdue", and again each working day until it is reviewed."""

from importlib import import_module

import time_machine
from django.apps import apps
from django.urls import reverse

from outcomes import services
from outcomes.models import RiskFlag
from tests.outcomes.risk_alert_support import (  # noqa: F401  (fixtures by name)
    DUTY,
    FRIDAY_16,
    MONDAY_10,
    R,
    at,
    colleague_fixture,
    deliver_all,
    duty_fixture,
    emails_to,
    flag_by_colleague,
    recipients,
)
from tests.outcomes.safety_fixtures import episode_fixture, person_fixture  # noqa: F401


def test_acknowledged_but_not_reviewed_escalates_to_leads_when_the_review_is_due(
    clinician, colleague, lead, episode, duty
):
    with time_machine.travel(MONDAY_10, tick=False) as clock:
        flag = flag_by_colleague(episode, colleague)
        clock.move_to("2026-03-02 11:00Z")
        services.risk_alert_acknowledge(
            alert=flag.alerts.get(reason=R.ASSIGNED_CLINICIAN), by=clinician
        )
        deliver_all()
        clock.move_to("2026-03-03 10:59Z")
        assert services.risk_flags_escalate() == 0
        clock.move_to("2026-03-03 11:00Z")
        assert services.risk_flags_escalate() == 1
        assert recipients(flag, R.ESCALATED) == {(lead.pk, "", R.ESCALATED)}
        deliver_all()
        [message] = emails_to(lead.email)
        assert message.personalisation["subject"] == "A questionnaire review is overdue"
        # Again each working day until the review is recorded.
        clock.move_to("2026-03-04 11:00Z")
        assert services.risk_flags_escalate() == 1
        services.risk_flag_review(flag=flag, note="Called; safety plan agreed", by=clinician)
        clock.move_to("2026-03-05 11:00Z")
        assert services.risk_flags_escalate() == 0
    flag.refresh_from_db()
    assert flag.escalations == 2 and not flag.is_open and flag.escalate_at is None


def test_the_record_says_when_the_review_is_due(
    client_for, clinician, colleague, person, episode, duty
):
    with time_machine.travel(MONDAY_10, tick=False):
        flag = flag_by_colleague(episode, colleague)
        services.risk_alert_acknowledge(
            alert=flag.alerts.get(reason=R.ASSIGNED_CLINICIAN), by=clinician
        )
        record = client_for(clinician).get(reverse("referrals:record", args=[person.public_id]))
    page = record.content.decode()
    assert "Review due by 3 March 2026" in page and "told it is overdue" in page


def test_a_later_acknowledgement_does_not_push_the_review_back(
    clinician, colleague, lead, episode, duty
):
    with time_machine.travel(MONDAY_10, tick=False) as clock:
        flag = flag_by_colleague(episode, colleague)
        services.risk_alert_acknowledge(
            alert=flag.alerts.get(reason=R.ASSIGNED_CLINICIAN), by=clinician
        )
        clock.move_to("2026-03-02 16:00Z")
        services.risk_alert_acknowledge(alert=flag.alerts.get(reason=R.DUTY_CONTACT), by=colleague)
    flag.refresh_from_db()
    assert flag.review_due_at == flag.escalate_at == at("2026-03-03 10:00Z")


def test_review_due_counts_working_hours_over_a_weekend(clinician, colleague, lead, episode, duty):
    with time_machine.travel(FRIDAY_16, tick=False) as clock:
        flag = flag_by_colleague(episode, colleague)
        services.risk_alert_acknowledge(
            alert=flag.alerts.get(reason=R.ASSIGNED_CLINICIAN), by=clinician
        )
        flag.refresh_from_db()
        assert flag.review_due_at == at("2026-03-09 16:00Z")
        clock.move_to("2026-03-09 12:00Z")  # the unacknowledged deadline has no effect now
        assert services.risk_flags_escalate() == 0
        clock.move_to("2026-03-09 16:00Z")
        assert services.risk_flags_escalate() == 1


def test_flags_acknowledged_before_the_upgrade_are_overdue_on_the_first_run(
    clinician, colleague, lead, episode, duty
):
    """Migration 0004: an acknowledgement used to stop escalation for ever."""
    with time_machine.travel(MONDAY_10, tick=False):
        flag = flag_by_colleague(episode, colleague)
        services.risk_alert_acknowledge(
            alert=flag.alerts.get(reason=R.ASSIGNED_CLINICIAN), by=clinician
        )
        RiskFlag.objects.filter(pk=flag.pk).update(escalate_at=None, review_due_at=None)
        migration = import_module(
            "outcomes.migrations.0005_measure_arrived_late_and_flag_review_due"
        )
        migration.acknowledged_open_flags_review_due_now(apps, None)
        assert services.risk_flags_escalate() == 1
        deliver_all()
    [message] = emails_to(lead.email)
    assert message.personalisation["subject"] == "A questionnaire review is overdue"
