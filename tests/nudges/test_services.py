"""A referral's state changes schedule and cancel its nudges, in the same transaction."""

from datetime import timedelta

import pytest
from django.utils import timezone

from referrals.models import Referral
from referrals.nudges.models import Nudge, NudgeSetting
from referrals.pathway import services
from referrals.records import services as record_services
from tests.referrals.factories import ReferralFactory

S = Referral.Status


def pending(referral):
    return set(
        referral.nudges.filter(status=Nudge.Status.SCHEDULED).values_list("template", flat=True)
    )


@pytest.mark.django_db
def test_sending_schedules_the_default_messages(sent_referral, clinician):
    assert pending(sent_referral) == {
        "referral_details",
        "did_you_go",
        "check_in",
        "follow_up",
        "provider_new_referral",
        "provider_reminder",
        "provider_final_reminder",
        "clinician_provider_silent",
    }
    silent = sent_referral.nudges.get(template="clinician_provider_silent")
    assert silent.recipient_user == clinician
    assert silent.audience == Nudge.Audience.CLINICIAN
    did_you_go = sent_referral.nudges.get(template="did_you_go")
    assert timezone.localtime(did_you_go.due_at).date() == (
        timezone.localtime(sent_referral.sent_at).date() + timedelta(days=7)
    )


@pytest.mark.django_db
def test_a_draft_schedules_nothing(person, activity, clinician):
    referral = services.referral_create(
        service_user=person, activity=activity, kind="refer", by=clinician
    )
    assert not referral.nudges.exists()


@pytest.mark.django_db
def test_acceptance_cancels_provider_reminders_and_schedules_session_reminder(
    sent_referral, provider_staff
):
    first_session = timezone.now() + timedelta(days=5)
    services.referral_accept(
        referral=sent_referral, by=provider_staff, first_session_at=first_session
    )
    templates = pending(sent_referral)
    assert "provider_reminder" not in templates
    assert "clinician_provider_silent" not in templates
    assert {"first_session_reminder", "clinician_no_attendance", "did_you_go"} <= templates
    cancelled = sent_referral.nudges.filter(status=Nudge.Status.CANCELLED)
    assert set(cancelled.values_list("template", flat=True)) == {
        "provider_new_referral",
        "provider_reminder",
        "provider_final_reminder",
        "clinician_provider_silent",
    }


@pytest.mark.django_db
@pytest.mark.parametrize("ending", [S.WITHDRAWN])
def test_an_ended_referral_cancels_everything_pending(sent_referral, clinician, ending):
    services.referral_move(referral=sent_referral, to=ending, by=clinician, expected_from=S.SENT)
    assert pending(sent_referral) == set()
    assert sent_referral.nudges.filter(status=Nudge.Status.CANCELLED).count() == 8


@pytest.mark.django_db
def test_a_refused_transition_leaves_nudges_alone(sent_referral, clinician):
    with pytest.raises(services.ReferralError):
        services.referral_move(
            referral=sent_referral, to=S.COMPLETED, by=clinician, expected_from=S.SENT
        )
    assert len(pending(sent_referral)) == 8


@pytest.mark.django_db
def test_signposting_asks_the_person_only(person, activity, clinician):
    referral = services.referral_create(
        service_user=person, activity=activity, kind="signpost", by=clinician
    )
    assert pending(referral) == {"did_you_go"}


@pytest.mark.django_db
def test_a_message_turned_off_by_the_service_is_not_scheduled(person, activity, clinician):
    NudgeSetting.objects.create(
        service=clinician.organisation,
        template="check_in",
        enabled=False,
        offset_days=28,
        channel="",
    )
    NudgeSetting.objects.create(
        service=clinician.organisation,
        template="did_you_go",
        enabled=True,
        offset_days=3,
        channel="",
    )
    referral = ReferralFactory(sent=True, service_user=person, activity=activity)
    assert "check_in" not in pending(referral)
    did_you_go = referral.nudges.get(template="did_you_go")
    assert timezone.localtime(did_you_go.due_at).date() == (
        timezone.localtime(referral.sent_at).date() + timedelta(days=3)
    )


@pytest.mark.django_db
def test_routine_invitation_only_when_the_service_turns_it_on(clinician):
    data = {"given_name": "Ali", "family_name": "Khan", "email": "ali@example.com"}
    first = record_services.service_user_create(
        service=clinician.organisation, by=clinician, data={**data, "assigned_clinician": clinician}
    )
    assert not first.nudges.exists()
    NudgeSetting.objects.create(
        service=clinician.organisation,
        template="getting_active",
        enabled=True,
        offset_days=3,
        channel="",
    )
    second = record_services.service_user_create(
        service=clinician.organisation,
        by=clinician,
        data={**data, "given_name": "Bo", "assigned_clinician": clinician},
    )
    invitation = second.nudges.get()
    assert invitation.template == "getting_active"
    assert timezone.localtime(invitation.due_at).date() == (
        timezone.localtime(second.created_at).date() + timedelta(days=3)
    )


@pytest.mark.django_db
def test_first_session_reminder_day_follows_the_service_setting(sent_referral, provider_staff):
    NudgeSetting.objects.create(
        service=sent_referral.service_user.service,
        template="first_session_reminder",
        enabled=True,
        offset_days=2,
        channel="",
    )
    first_session = timezone.now() + timedelta(days=6)
    services.referral_accept(
        referral=sent_referral, by=provider_staff, first_session_at=first_session
    )
    reminder = sent_referral.nudges.get(template="first_session_reminder")
    assert timezone.localtime(reminder.due_at).date() == (
        timezone.localtime(first_session).date() - timedelta(days=2)
    )
