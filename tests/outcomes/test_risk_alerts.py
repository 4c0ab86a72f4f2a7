"""Risk flags always reach a person: however the questionnaire arrived, the assigned clinician
and the duty contact each get a task and an email at once; nobody acknowledging within the
service's working hours alerts the service leads, and again each working day; an email that
is not delivered is sent on and shown to the leads."""

from datetime import UTC, datetime
from importlib import import_module

import time_machine
from django.apps import apps
from django.urls import reverse
from django.utils.html import escape

from outcomes import services
from outcomes.models import Measure, RiskAlert, RiskFlag
from outcomes.services import MeasureEntry, alerts
from outcomes.tasks import check_risk_alerts
from referrals.nudges.models import Nudge
from talkingmoves.notify.gateway import GatewayError, LocalGateway
from tests.factories import ServiceLeadFactory, with_duty_contact
from tests.outcomes.factories import EpisodeFactory, phq9_items
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
from tests.referrals.factories import ServiceUserFactory

# --- At once: the assigned clinician and the duty contact, whatever the route ------------


def test_clinician_entered_flag_by_a_colleague_alerts_the_assigned_clinician_and_duty_contact(
    clinician, colleague, person, episode, duty
):
    with time_machine.travel(MONDAY_10, tick=False):
        flag = flag_by_colleague(episode, colleague)
        assert recipients(flag) == {
            (clinician.pk, "", R.ASSIGNED_CLINICIAN),
            (None, DUTY, R.DUTY_CONTACT),
        }
        assert all(a.nudge.template == "risk_alert" for a in flag.alerts.all())
        assert set(deliver_all().values()) == {"sent"}
    for address in (clinician.email, DUTY):
        [message] = emails_to(address)
        subject, body = message.personalisation["subject"], message.personalisation["body"]
        assert subject == "A questionnaire needs your review"
        assert reverse("referrals:record", args=[person.public_id]) + "#risk-flags" in body
        assert person.given_name not in body and person.family_name not in body
    assert not emails_to(colleague.email)
    assert flag.escalate_at == at("2026-03-02 14:00Z")


def test_self_completed_flag_alerts_the_same_people(client, clinician, person, episode, duty):
    with time_machine.travel(MONDAY_10, tick=False):
        request = services.measure_request_create(episode=episode, by=clinician, kinds=["phq9"])
        data = {f"phq9_{n}": "0" for n in range(1, 9)} | {"phq9_9": "3"}
        assert client.post(services.self_completion_path(request), data).status_code == 200
        flag = RiskFlag.objects.get()
        assert flag.measure.source == Measure.Source.SELF_COMPLETED
        assert recipients(flag) == {
            (clinician.pk, "", R.ASSIGNED_CLINICIAN),
            (None, DUTY, R.DUTY_CONTACT),
        }
        deliver_all()
    assert len(emails_to(clinician.email)) == len(emails_to(DUTY)) == 1


def test_imported_flag_alerts_the_same_people(clinician, colleague, episode, duty):
    with time_machine.travel(MONDAY_10, tick=False):
        _, [flag] = services.measures_import(
            episode=episode,
            taken_on=datetime.now(UTC).date(),
            entries=[MeasureEntry("phq9", phq9_items(3, item_9=1))],
            by=colleague,
        )
    assert flag.measure.source == Measure.Source.IMPORTED
    assert recipients(flag) == {
        (clinician.pk, "", R.ASSIGNED_CLINICIAN),
        (None, DUTY, R.DUTY_CONTACT),
    }


def test_item_9_not_at_all_alerts_nobody(colleague, episode, duty):
    with time_machine.travel(MONDAY_10, tick=False):
        services.measure_record(
            episode=episode,
            kind="phq9",
            taken_on=datetime.now(UTC).date(),
            answers=[3, 3, 3, 3, 3, 3, 3, 3, 0],  # severe, but item 9 "not at all"
            by=colleague,
        )
    assert not RiskFlag.objects.exists() and not RiskAlert.objects.exists()


def test_leads_stand_in_for_a_missing_duty_contact_or_clinician(
    clinician, colleague, lead, person, episode
):
    with time_machine.travel(MONDAY_10, tick=False):
        flag = flag_by_colleague(episode, colleague)  # no duty contact
    assert recipients(flag) == {
        (clinician.pk, "", R.ASSIGNED_CLINICIAN),
        (lead.pk, "", R.STANDING_IN),
    }
    other = ServiceUserFactory(service=clinician.organisation, assigned_clinician=None)
    with_duty_contact(clinician.organisation, DUTY)
    with time_machine.travel(MONDAY_10, tick=False):
        services.measure_record(
            episode=EpisodeFactory(service_user=other),
            kind="phq9",
            taken_on=datetime.now(UTC).date(),
            answers=phq9_items(5, item_9=2),
            by=colleague,
        )
    flag = RiskFlag.objects.get(service_user=other)
    assert recipients(flag) == {(None, DUTY, R.DUTY_CONTACT), (lead.pk, "", R.STANDING_IN)}


# --- Acknowledged in time, or escalated to the leads --------------------------------------


def test_acknowledged_within_four_working_hours_does_not_escalate_until_review_is_due(
    clinician, colleague, lead, episode, duty
):
    with time_machine.travel(MONDAY_10, tick=False) as clock:
        flag = flag_by_colleague(episode, colleague)
        clock.move_to("2026-03-02 12:00Z")
        services.risk_alert_acknowledge(
            alert=flag.alerts.get(reason=R.ASSIGNED_CLINICIAN), by=clinician
        )
        for moment in ("2026-03-02 14:00Z", "2026-03-03 11:59Z"):
            clock.move_to(moment)
            assert services.risk_flags_escalate() == 0
    assert not flag.alerts.filter(reason=R.ESCALATED).exists()
    flag.refresh_from_db()
    assert flag.escalations == 0 and flag.is_open
    # One working day after the acknowledgement the review is due (tests/outcomes/
    # test_review_deadline.py follows what happens then).
    assert flag.review_due_at == flag.escalate_at == at("2026-03-03 12:00Z")


def test_not_acknowledged_escalates_to_the_leads_after_four_working_hours_then_daily(
    clinician, colleague, lead, episode, duty
):
    second_lead = ServiceLeadFactory(organisation=clinician.organisation)
    with time_machine.travel(MONDAY_10, tick=False) as clock:
        flag = flag_by_colleague(episode, colleague)
        deliver_all()
        clock.move_to("2026-03-02 13:59Z")
        assert services.risk_flags_escalate() == 0
        clock.move_to("2026-03-02 14:00Z")
        assert services.risk_flags_escalate() == 1
        assert services.risk_flags_escalate() == 0  # a second run adds nothing
        assert recipients(flag, R.ESCALATED) == {
            (lead.pk, "", R.ESCALATED),
            (second_lead.pk, "", R.ESCALATED),
        }
        deliver_all()
        [message] = emails_to(lead.email)
        assert message.personalisation["subject"] == (
            "A questionnaire review has not been acknowledged"
        )
        # Again each working day while nobody acknowledges it.
        clock.move_to("2026-03-03 13:59Z")
        assert services.risk_flags_escalate() == 0
        clock.move_to("2026-03-03 14:00Z")
        assert services.risk_flags_escalate() == 1
        assert flag.alerts.filter(reason=R.ESCALATED).count() == 4
        # A lead acknowledging pauses it until the review is due, a working day later.
        services.risk_alert_acknowledge(
            alert=flag.alerts.filter(recipient_user=lead).last(), by=lead
        )
        clock.move_to("2026-03-04 13:59Z")
        assert services.risk_flags_escalate() == 0
    flag.refresh_from_db()
    assert flag.escalations == 2


def test_friday_afternoon_flag_escalates_monday_noon_and_again_tuesday(
    clinician, colleague, lead, episode, duty
):
    with time_machine.travel(FRIDAY_16, tick=False) as clock:
        flag = flag_by_colleague(episode, colleague)
        assert flag.escalate_at == at("2026-03-09 12:00Z")
        for moment in ("2026-03-06 17:00Z", "2026-03-07 12:00Z", "2026-03-09 11:59Z"):
            clock.move_to(moment)
            assert check_risk_alerts() == {"undelivered": 0, "escalated": 0}
        clock.move_to("2026-03-09 12:00Z")
        assert check_risk_alerts() == {"undelivered": 0, "escalated": 1}
        clock.move_to("2026-03-10 11:59Z")
        assert check_risk_alerts()["escalated"] == 0
        clock.move_to("2026-03-10 12:00Z")
        assert check_risk_alerts()["escalated"] == 1
    assert flag.alerts.filter(reason=R.ESCALATED, recipient_user=lead).count() == 2


def test_a_review_stops_escalation(clinician, colleague, lead, episode, duty):
    with time_machine.travel(MONDAY_10, tick=False) as clock:
        flag = flag_by_colleague(episode, colleague)
        services.risk_flag_review(flag=flag, note="Called them; safety plan in place", by=clinician)
        clock.move_to("2026-03-03 10:00Z")
        assert services.risk_flags_escalate() == 0


def test_two_escalation_runs_at_once_alert_the_leads_once(
    clinician, colleague, lead, episode, duty, monkeypatch
):
    """The claim is a conditional UPDATE: a run that read the flag as due but lost the race
    to another run alerts nobody."""
    real_next = alerts._next_escalation
    raced = []

    def other_run_wins_first(deadline, now):
        if not raced:
            raced.append(True)
            assert alerts.risk_flags_escalate(now=now) == 1  # the other run, in between
        return real_next(deadline, now)

    monkeypatch.setattr(alerts, "_next_escalation", other_run_wins_first)
    with time_machine.travel(MONDAY_10, tick=False) as clock:
        flag = flag_by_colleague(episode, colleague)
        clock.move_to("2026-03-02 14:00Z")
        assert alerts.risk_flags_escalate() == 0  # this run lost its claim
    assert flag.alerts.filter(reason=R.ESCALATED).count() == 1


def test_with_no_lead_the_escalation_goes_to_the_duty_contact(clinician, colleague, episode, duty):
    with time_machine.travel(MONDAY_10, tick=False) as clock:
        flag = flag_by_colleague(episode, colleague)
        clock.move_to("2026-03-02 14:00Z")
        assert services.risk_flags_escalate() == 1
    assert recipients(flag, R.ESCALATED) == {(None, DUTY, R.ESCALATED)}


def test_the_hours_are_the_services_own(clinician, colleague, episode, duty):
    duty.escalation_working_hours = 2
    duty.save()
    with time_machine.travel(FRIDAY_16, tick=False):
        flag = flag_by_colleague(episode, colleague)
    assert flag.escalate_at == at("2026-03-09 10:00Z")


def test_flags_from_before_the_upgrade_escalate_on_the_first_run(clinician, episode, lead):
    """Migration 0003: open flags raised before alerts existed had nobody acknowledge them."""
    from tests.outcomes.factories import measure

    old = RiskFlag.objects.create(
        service_user=episode.service_user,
        measure=measure(episode, "phq9", phq9_items(4, item_9=1), on=episode.referral_received_on),
    )
    assert old.escalate_at is None
    migration = import_module("outcomes.migrations.0003_risk_flag_safety")
    migration.open_flags_escalate_at_once(apps, None)
    assert services.risk_flags_escalate() == 1
    assert recipients(old) == {(lead.pk, "", R.ESCALATED)}


# --- Not delivered: sent on, and shown to the leads ---------------------------------------


class ClinicianAddressFails(LocalGateway):
    def send_email(self, *, to, **kwargs):
        if to == "clinician@example.nhs.uk":
            raise GatewayError("Not a valid email address", temporary=False)
        return super().send_email(to=to, **kwargs)


class DutyAddressFails(LocalGateway):
    def send_email(self, *, to, **kwargs):
        if to == DUTY:
            raise GatewayError("Not a valid email address", temporary=False)
        return super().send_email(to=to, **kwargs)


def test_a_failed_alert_email_goes_to_the_duty_contact_and_the_lead_sees_it(
    clinician, colleague, lead, person, episode, duty, settings, client_for
):
    settings.MESSAGE_GATEWAY = f"{__name__}.ClinicianAddressFails"
    with time_machine.travel(MONDAY_10, tick=False) as clock:
        flag = flag_by_colleague(episode, colleague)
        clinician_alert = flag.alerts.get(reason=R.ASSIGNED_CLINICIAN)
        deliver_all()
        assert Nudge.objects.get(pk=clinician_alert.nudge_id).status == Nudge.Status.FAILED
        clock.move_to("2026-03-02 10:01Z")
        assert check_risk_alerts() == {"undelivered": 1, "escalated": 0}
        assert check_risk_alerts() == {"undelivered": 0, "escalated": 0}
        assert recipients(flag, R.REROUTED) == {(None, DUTY, R.REROUTED)}
        deliver_all()
        assert len(emails_to(DUTY)) == 2  # its own alert, and the clinician's sent on
        home = client_for(lead).get(reverse("core:home")).content.decode()
        record = client_for(lead).get(reverse("referrals:record", args=[person.public_id]))
    assert "Alert not delivered" in home
    assert f"To {escape(clinician.full_name)} (assigned clinician)" in home
    assert person.full_name in home
    assert "Email not delivered" in record.content.decode()
    # Nothing about it on the clinician's own home page as "not delivered": that is for leads.
    assert (
        "Alert not delivered"
        not in client_for(clinician).get(reverse("core:home")).content.decode()
    )


def test_a_skipped_alert_email_is_sent_on_too(clinician, colleague, lead, episode, duty):
    with time_machine.travel(MONDAY_10, tick=False):
        flag = flag_by_colleague(episode, colleague)
        clinician.is_active = False  # left the service before the email went
        clinician.save()
        deliver_all()
        assert flag.alerts.get(reason=R.ASSIGNED_CLINICIAN).nudge.status == Nudge.Status.SKIPPED
        assert services.risk_alerts_reroute() == 1
    assert recipients(flag, R.REROUTED) == {(None, DUTY, R.REROUTED)}


def test_a_failed_duty_contact_email_goes_to_the_leads_and_no_further(
    clinician, colleague, lead, episode, duty, settings
):
    settings.MESSAGE_GATEWAY = f"{__name__}.DutyAddressFails"
    with time_machine.travel(MONDAY_10, tick=False):
        flag = flag_by_colleague(episode, colleague)
        deliver_all()
        assert services.risk_alerts_reroute() == 1
        assert recipients(flag, R.REROUTED) == {(lead.pk, "", R.REROUTED)}
        # Should the lead's email fail too, it is shown to the leads rather than sent round.
        Nudge.objects.filter(risk_alert__reason=R.REROUTED).update(status=Nudge.Status.FAILED)
        assert services.risk_alerts_reroute() == 1
    assert flag.alerts.filter(reason=R.REROUTED).count() == 1


def test_a_reviewed_flag_is_not_sent_on(clinician, colleague, lead, episode, duty, settings):
    settings.MESSAGE_GATEWAY = f"{__name__}.ClinicianAddressFails"
    with time_machine.travel(MONDAY_10, tick=False):
        flag = flag_by_colleague(episode, colleague)
        deliver_all()
        services.risk_flag_review(flag=flag, note="Seen in clinic today", by=colleague)
        assert services.risk_alerts_reroute() == 1
    assert not flag.alerts.filter(reason=R.REROUTED).exists()
    assert flag.alerts.get(reason=R.ASSIGNED_CLINICIAN).undelivered_at is not None
