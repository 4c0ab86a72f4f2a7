"""The right message at the right time: "Did you manage to go?" once there is something to
have gone to, a confirmation on acceptance, one gentle message after a missed session, and
clinicians' messages to whoever is assigned when they are sent."""

from datetime import timedelta

import pytest
from django.utils import timezone

from referrals.models import Attendance, Referral
from referrals.nudges import followups
from referrals.nudges.messages import TEMPLATES
from referrals.nudges.models import Nudge, NudgeSetting
from referrals.pathway import services as pathway
from referrals.worklist.models import Task
from talkingmoves.notify.models import StoredMessage
from tests.factories import ClinicianFactory, ProviderStaffFactory
from tests.nudges.factories import did_you_go
from tests.nudges.test_delivery import deliver_all, due
from tests.referrals.factories import ReferralFactory

R = Nudge.SkipReason
N = Nudge.Status
S = Referral.Status
CLINICAL_WORDS = (
    "therapy",
    "therapies",
    "mental health",
    "depression",
    "anxiety",
    "psychological",
    "iapt",
    "phq",
    "gad",
)


def _accept(referral, *, first_session_at):
    staff = ProviderStaffFactory(organisation=referral.activity.provider.organisation)
    return pathway.referral_accept(referral=referral, by=staff, first_session_at=first_session_at)


def _body(nudge) -> str:
    return StoredMessage.objects.get(reference=str(nudge.pk)).personalisation["body"]


@pytest.mark.django_db
def test_did_you_go_is_not_sent_while_the_provider_is_silent(sent_referral):
    nudge = due(sent_referral, "did_you_go")
    deliver_all()
    nudge.refresh_from_db()
    assert (nudge.status, nudge.skip_reason) == (N.SKIPPED, R.PROVIDER_SILENT)


@pytest.mark.django_db
def test_did_you_go_waits_until_the_day_after_the_first_session(sent_referral):
    first = timezone.now() + timedelta(days=3)
    _accept(sent_referral, first_session_at=first)
    nudge = due(sent_referral, "did_you_go")
    deliver_all()
    nudge.refresh_from_db()
    assert nudge.status == N.SCHEDULED
    assert nudge.due_at > first
    assert "first session" in nudge.deferred_reason


@pytest.mark.django_db
def test_did_you_go_goes_once_the_first_session_has_passed(sent_referral):
    _accept(sent_referral, first_session_at=timezone.now() - timedelta(days=1))
    nudge = due(sent_referral, "did_you_go")
    deliver_all()
    nudge.refresh_from_db()
    assert nudge.status == N.SENT
    assert "/n/" in _body(nudge)


@pytest.mark.django_db
def test_did_you_go_goes_for_a_signposting(person, activity):
    referral = ReferralFactory(signposted=True, service_user=person, activity=activity)
    nudge = due(referral, "did_you_go")
    deliver_all()
    nudge.refresh_from_db()
    assert nudge.status == N.SENT


@pytest.mark.django_db
def test_a_late_acceptance_schedules_did_you_go_after_the_first_session(sent_referral):
    skipped = due(sent_referral, "did_you_go")
    deliver_all()
    first = timezone.now() + timedelta(days=5)
    _accept(sent_referral, first_session_at=first)
    again = sent_referral.nudges.get(template="did_you_go", status=N.SCHEDULED)
    assert again.pk != skipped.pk
    assert timezone.localtime(again.due_at).date() == timezone.localtime(first).date() + timedelta(
        days=1
    )


@pytest.mark.django_db
@pytest.mark.parametrize("accompanied", [True, False])
def test_acceptance_confirms_what_where_when_and_how_to_say_no(person, activity, accompanied):
    referral = ReferralFactory(
        sent=True, service_user=person, activity=activity, accompanied_first_visit=accompanied
    )
    first = timezone.now() + timedelta(days=4)
    _accept(referral, first_session_at=first)
    nudge = due(referral, "referral_accepted")
    deliver_all()
    nudge.refresh_from_db()
    assert nudge.status == N.SENT
    body = _body(nudge)
    assert "Beginners' walking group" in body
    assert "Where: " in body
    assert timezone.localtime(first).strftime("%A %-d %B at %H:%M") in body
    assert ("Someone can come with you the first time" in body) is accompanied
    assert "If you cannot make it, let us know here:" in body and "/n/" in body
    for word in CLINICAL_WORDS:
        assert word not in body.lower()


@pytest.mark.django_db
def test_acceptance_without_a_date_gives_the_next_session_from_the_schedule(sent_referral):
    from datetime import time

    from providers.models import WeeklySlot

    sent_referral.activity.weekly_slots.all().delete()
    sent_referral.activity.one_off_sessions.all().delete()
    WeeklySlot.objects.create(
        activity=sent_referral.activity, weekday=0, start_time=time(10), end_time=time(11)
    )
    _accept(sent_referral, first_session_at=None)
    nudge = due(sent_referral, "referral_accepted")
    deliver_all()
    assert "next session Monday" in _body(nudge)


@pytest.mark.django_db
def test_a_missed_session_sends_one_gentle_follow_up(sent_referral):
    referral = _accept(sent_referral, first_session_at=timezone.now() - timedelta(days=2))
    staff = ProviderStaffFactory(organisation=referral.activity.provider.organisation)
    day = timezone.localdate() - timedelta(days=1)
    missed = Attendance.Status.MISSED
    pathway.attendance_record(referral=referral, session_date=day, status=missed, by=staff)
    pathway.attendance_record(referral=referral, session_date=day, status=missed, by=staff)
    assert referral.nudges.filter(template="session_missed").count() == 1
    pathway.attendance_record(
        referral=referral, session_date=day, status=Attendance.Status.ATTENDED, by=staff
    )
    assert referral.nudges.filter(template="session_missed").count() == 1
    nudge = due(referral, "session_missed")
    deliver_all()
    nudge.refresh_from_db()
    # Marked attended before it went: the person did go, so it is not needed.
    assert (nudge.status, nudge.skip_reason) == (N.SKIPPED, R.ALREADY_DONE)


@pytest.mark.django_db
def test_the_missed_session_message_is_gentle_and_answerable(sent_referral):
    referral = _accept(sent_referral, first_session_at=timezone.now() - timedelta(days=2))
    staff = ProviderStaffFactory(organisation=referral.activity.provider.organisation)
    pathway.attendance_record(
        referral=referral,
        session_date=timezone.localdate() - timedelta(days=1),
        status=Attendance.Status.MISSED,
        by=staff,
    )
    nudge = due(referral, "session_missed")
    deliver_all()
    nudge.refresh_from_db()
    assert nudge.status == N.SENT
    body = _body(nudge)
    assert "you are welcome at the next one" in body and "/n/" in body


@pytest.mark.django_db
def test_a_clinician_message_goes_to_whoever_is_assigned_when_it_is_sent(sent_referral):
    person = sent_referral.service_user
    nudge = due(sent_referral, "clinician_provider_silent")
    assert nudge.recipient_user == person.assigned_clinician
    newcomer = ClinicianFactory(organisation=person.service)
    person.assigned_clinician = newcomer
    person.save()
    deliver_all()
    nudge.refresh_from_db()
    assert (nudge.status, nudge.sent_to) == (N.SENT, newcomer.email)


@pytest.mark.django_db
def test_a_clinician_message_to_nobody_assigned_is_not_sent_to_the_former_one(sent_referral):
    person = sent_referral.service_user
    nudge = due(sent_referral, "clinician_provider_silent")
    person.assigned_clinician = None
    person.save()
    deliver_all()
    nudge.refresh_from_db()
    assert (nudge.status, nudge.skip_reason) == (N.SKIPPED, R.NO_CONTACT)


@pytest.mark.django_db
def test_a_service_can_turn_off_task_emails(person, lead):
    from referrals.worklist.services import task_create_for_service_user

    NudgeSetting.objects.create(
        service=person.service, template="clinician_new_task", enabled=False, offset_days=0
    )
    task_create_for_service_user(service_user=person, kind=Task.Kind.NOT_YET)
    deliver_all()
    assert Nudge.objects.get(template="clinician_new_task").skip_reason == R.TURNED_OFF


@pytest.mark.django_db
def test_an_unanswered_did_you_go_becomes_a_task_once(sent_referral):
    _accept(sent_referral, first_session_at=timezone.now() - timedelta(days=10))
    nudge = did_you_go(sent_referral)
    Nudge.objects.filter(pk=nudge.pk).update(
        status=N.SENT, sent_at=timezone.now() - timedelta(days=8)
    )
    assert followups.tasks_for_unanswered_messages() == 1
    assert followups.tasks_for_unanswered_messages() == 0
    task = Task.objects.get(kind=Task.Kind.UNANSWERED)
    assert task.referral == sent_referral
    assert task.service_user == sent_referral.service_user


@pytest.mark.django_db
def test_an_answered_or_recent_did_you_go_is_not_a_task(sent_referral):
    from referrals.nudges import answers

    _accept(sent_referral, first_session_at=timezone.now() - timedelta(days=10))
    nudge = did_you_go(sent_referral)
    Nudge.objects.filter(pk=nudge.pk).update(status=N.SENT, sent_at=timezone.now())
    assert followups.tasks_for_unanswered_messages() == 0
    Nudge.objects.filter(pk=nudge.pk).update(sent_at=timezone.now() - timedelta(days=8))
    answers.nudge_answer(nudge=nudge, answer="went")
    assert followups.tasks_for_unanswered_messages() == 0


def test_new_service_user_templates_say_nothing_clinical():
    context = dict.fromkeys(
        (
            *("first_name", "activity", "provider", "venue", "when", "first_session", "link"),
            *("count", "urgent", "start", "accompanied", "sender"),
        ),
        "x",
    )
    for key in ("referral_accepted", "session_missed", "clinician_new_task"):
        for channel in ("sms", "email"):
            subject, body = TEMPLATES[key].render(channel, context)
            for word in CLINICAL_WORDS:
                assert word not in f"{subject} {body}".lower(), (key, word)
