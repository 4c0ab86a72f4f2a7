"""A service user's answer to a message: recorded once, acted on once."""

import pytest
from django.utils import timezone

from referrals.models import Attendance, Referral, ReferralEvent
from referrals.nudges import answers
from referrals.nudges.models import CallRequest, Nudge, NudgeResponse
from referrals.pathway import services
from talkingmoves.audit.models import AccessLog
from tests.nudges.factories import accept, did_you_go
from tests.referrals.factories import ReferralFactory

S = Referral.Status
A = NudgeResponse.Answer


@pytest.mark.django_db
def test_went_on_an_accepted_referral_records_attendance_and_moves_it(sent_referral):
    referral = accept(sent_referral)
    nudge = did_you_go(referral)

    response = answers.nudge_answer(nudge=nudge, answer="went")

    assert response.answer == A.WENT
    referral.refresh_from_db()
    assert referral.status == S.ATTENDING
    attendance = Attendance.objects.get(referral=referral)
    assert attendance.source == "self_reported"
    assert attendance.status == Attendance.Status.ATTENDED
    assert attendance.recorded_by is None
    assert attendance.session_date == timezone.localdate()
    event = referral.events.get(to_status=S.ATTENDING)
    assert event.actor is None and event.system_actor == "service user (message link)"
    # Attending cancels the questions that no longer make sense.
    nudge.refresh_from_db()
    assert nudge.status == Nudge.Status.CANCELLED


@pytest.mark.django_db
def test_went_twice_changes_nothing_the_second_time(sent_referral):
    referral = accept(sent_referral)
    nudge = did_you_go(referral)
    first = answers.nudge_answer(nudge=nudge, answer="went")
    events = ReferralEvent.objects.count()
    logs = AccessLog.objects.count()

    second = answers.nudge_answer(nudge=nudge, answer="went")

    assert second.pk == first.pk
    assert NudgeResponse.objects.filter(nudge=nudge).count() == 1
    assert Attendance.objects.filter(referral=referral).count() == 1
    assert ReferralEvent.objects.count() == events
    assert AccessLog.objects.count() == logs


@pytest.mark.django_db
def test_went_on_signposting_marks_it_taken_up(person, activity):
    referral = ReferralFactory(signposted=True, service_user=person, activity=activity)
    answers.nudge_answer(nudge=did_you_go(referral), answer="went")
    referral.refresh_from_db()
    assert referral.status == S.TAKEN_UP


@pytest.mark.django_db
def test_went_on_an_ended_referral_records_the_answer_only(sent_referral, clinician):
    nudge = did_you_go(sent_referral)
    services.referral_move(
        referral=sent_referral, to=S.WITHDRAWN, by=clinician, expected_from=S.SENT
    )
    answers.nudge_answer(nudge=nudge, answer="went")
    sent_referral.refresh_from_db()
    assert sent_referral.status == S.WITHDRAWN
    assert not Attendance.objects.exists()
    assert NudgeResponse.objects.filter(nudge=nudge, answer="went").exists()


@pytest.mark.django_db
def test_not_yet_records_the_answer_only(sent_referral):
    referral = accept(sent_referral)
    answers.nudge_answer(nudge=did_you_go(referral), answer="not_yet")
    referral.refresh_from_db()
    assert referral.status == S.ACCEPTED
    assert not Attendance.objects.exists()
    assert not CallRequest.objects.exists()


@pytest.mark.django_db
def test_call_me_raises_a_call_request_and_tells_the_clinician(sent_referral, clinician):
    nudge = did_you_go(sent_referral)
    answers.nudge_answer(nudge=nudge, answer="call_me")
    answers.nudge_answer(nudge=nudge, answer="call_me")

    request = CallRequest.objects.get()
    assert request.nudge == nudge and request.service_user == sent_referral.service_user
    assert request.done_at is None
    told = Nudge.objects.get(template="clinician_call_requested")
    assert told.recipient_user == clinician
    assert told.service_user == sent_referral.service_user
    assert told.status == Nudge.Status.SCHEDULED


@pytest.mark.django_db
def test_call_me_without_a_clinician_still_raises_the_request(sent_referral):
    person = sent_referral.service_user
    person.assigned_clinician = None
    person.save(update_fields=["assigned_clinician"])
    answers.nudge_answer(nudge=did_you_go(sent_referral), answer="call_me")
    assert CallRequest.objects.filter(service_user=person).exists()
    # ... and reaches the duty contact (tests/nudges/test_call_me_routing.py).
    told = Nudge.objects.get(template="clinician_call_requested")
    assert told.recipient_user is None and told.recipient_email == "duty@example.nhs.uk"


@pytest.mark.django_db
def test_stop_opts_out_and_cancels_messages_to_the_person_only(sent_referral):
    nudge = did_you_go(sent_referral)
    answers.nudge_answer(nudge=nudge, answer="stop")

    person = sent_referral.service_user
    person.refresh_from_db()
    assert person.nudges_stopped_at is not None
    to_person = sent_referral.nudges.filter(audience=Nudge.Audience.SERVICE_USER)
    assert not to_person.filter(status=Nudge.Status.SCHEDULED).exists()
    # The provider still hears about the referral.
    assert sent_referral.nudges.filter(
        audience=Nudge.Audience.PROVIDER, status=Nudge.Status.SCHEDULED
    ).exists()


@pytest.mark.django_db
def test_an_answer_is_access_logged_without_a_token(sent_referral):
    answers.nudge_answer(nudge=did_you_go(sent_referral), answer="not_yet")
    log = AccessLog.objects.get(system_actor="service user (message link)")
    assert log.action == AccessLog.Action.UPDATE
    assert log.object_id == str(sent_referral.service_user.public_id)
    assert log.path == "message link: answer"


@pytest.mark.django_db
def test_call_request_done_once(sent_referral, clinician):
    answers.nudge_answer(nudge=did_you_go(sent_referral), answer="call_me")
    request = CallRequest.objects.get()
    answers.call_request_done(call_request=request, by=clinician)
    first_done = request.done_at
    answers.call_request_done(call_request=request, by=clinician)
    request.refresh_from_db()
    assert request.done_at == first_done and request.done_by == clinician


@pytest.mark.django_db
def test_went_before_the_provider_accepted_is_recorded_but_not_counted(sent_referral):
    answers.nudge_answer(nudge=did_you_go(sent_referral), answer="went")
    sent_referral.refresh_from_db()
    assert sent_referral.status == Referral.Status.SENT
    assert sent_referral.first_attended_on is None
    assert not Attendance.objects.filter(referral=sent_referral).exists()
    assert NudgeResponse.objects.filter(answer="went").count() == 1
