"""Issue 15's "done means", end to end through the pages and services people use: with the
clock moved on, a provider accepts, the service user gets a confirmation, replies "1" by
text, the provider's register shows the session attended, a declined referral puts a task on
the assigned clinician's caseload, and no message to a service user says anything clinical.

The clock is fixed at each step (Europe/London, GMT in March 2026): messages go at 10:00 on
a weekday, outside the 20:00-08:00 quiet hours, whatever time the test runs."""

import json
import re
from datetime import date, datetime, time
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from providers.models import WeeklySlot
from referrals.models import Attendance, Referral
from referrals.nudges.messages import AUDIENCE_SERVICE_USER
from referrals.nudges.models import Nudge, NudgeResponse, TextReply
from referrals.worklist.models import Task
from talkingmoves.notify.models import StoredMessage
from talkingmoves.vocabulary.message_words import says_something_clinical
from tests.providers.factories import ActivityFactory
from tests.referrals.factories import ServiceUserFactory

LONDON = ZoneInfo("Europe/London")
TOKEN = "a-long-shared-secret-for-replies"
MOBILE = "07700900123"
FROM_NOTIFY = "447700900123"  # Notify sends the international form without the +
LINK = re.compile(r"https?://\S+")  # a link's signed token is random letters, not words
S = Referral.Status
N = Nudge.Status
DETAILS = {
    "what_they_would_enjoy": "Being outdoors",
    "goal": "Walk twice a week",
    "needs_for_provider": "",
    "accompanied_first_visit": "no",
    "preferred_contact": "sms",
}


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=LONDON)


def send_due() -> str:
    """The real due-sending, as beat runs it, through the local recording gateway."""
    out = StringIO()
    call_command("send_due_nudges", stdout=out)
    return out.getvalue()


def body_of(nudge: Nudge) -> str:
    return StoredMessage.objects.get(reference=nudge.gateway_reference).personalisation["body"]


def refer(client, person, activity) -> Referral:
    url = reverse("referrals:refer", args=[person.public_id, activity.public_id])
    response = client.post(url, DETAILS, follow=True)
    assert f"Referral sent to {activity.provider.name}" in response.content.decode()
    referral = Referral.objects.get(service_user=person, activity=activity)
    assert referral.status == S.SENT
    return referral


def inbox(name: str, referral: Referral) -> str:
    return reverse(f"referrals:{name}", args=[referral.public_id])


@pytest.mark.django_db
def test_done_means_accept_confirm_reply_register_decline_task_and_nothing_clinical(
    service, clinician, provider_staff, activity, client_for, client, settings
):
    settings.NOTIFY_INBOUND_CALLBACK_TOKEN = TOKEN
    # Thursdays 18:00-19:00 at Riverside Leisure.
    WeeklySlot.objects.create(activity=activity, weekday=3, start_time=time(18), end_time=time(19))
    swim = ActivityFactory(
        venue=activity.venue,
        name="Gentle swim",
        takes_referrals=True,
        referral_email="referrals@riverside.example",
    )

    # Signed in afresh at each step: a session does not last the week the clock moves on.
    def as_clinician():
        return client_for(clinician)

    def as_provider():
        return client_for(provider_staff)

    with time_machine.travel(at(2, 10), tick=False) as clock:  # Monday 2 March, 10:00
        # 1. The clinician's service user, with consent to texts and a mobile, is referred
        # through the clinician's refer page (the real create-and-send service).
        person = ServiceUserFactory(
            service=service,
            assigned_clinician=clinician,
            given_name="Sam",
            family_name="Rivers",
            mobile=MOBILE,
            preferred_contact="sms",
            ready_to_refer=True,
            with_sms_consent=True,
        )
        referral = refer(as_clinician(), person, activity)
        assert "2 sent" in send_due()  # their referral details, and the provider's email

        # 2. The provider accepts on the inbox page, choosing the first Thursday session.
        clock.move_to(at(2, 15))
        page = as_provider().get(inbox("inbox_referral", referral)).content.decode()
        assert "Thursday 5 March 2026 at 18:00" in page
        response = as_provider().post(
            inbox("inbox_accept", referral),
            {"accept-first_session": "2026-03-05T18:00"},
            follow=True,
        )
        assert "Referral accepted" in response.content.decode()
        referral.refresh_from_db()
        assert referral.status == S.ACCEPTED
        assert timezone.localtime(referral.first_session_at) == at(5, 18)
        confirmation = referral.nudges.get(template="referral_accepted")
        assert confirmation.status == N.SCHEDULED  # queued

        clock.move_to(at(3, 10))  # Tuesday 10:00: one message a day, outside quiet hours
        send_due()
        confirmation.refresh_from_db()
        assert (confirmation.status, confirmation.channel, confirmation.sent_to) == (
            N.SENT,
            "sms",
            MOBILE,
        )
        stored = StoredMessage.objects.get(reference=confirmation.gateway_reference)
        assert (stored.channel, stored.recipient) == (StoredMessage.Channel.SMS, MOBILE)
        text = body_of(confirmation)
        assert "Hello Sam" in text and "Beginners' walking group" in text  # what
        assert activity.venue.name in text  # where
        assert "Thursday 5 March at 18:00" in text  # when
        assert "/n/" in text  # and how to say they cannot make it

        clock.move_to(at(4, 10))  # Wednesday: the day-before reminder goes, as beat would
        send_due()

        # 3. A week after sending, past the first session: "Did you manage to go?" by text.
        clock.move_to(at(9, 10))  # Monday 9 March, 10:00
        send_due()
        did_you_go = referral.nudges.get(template="did_you_go")
        assert (did_you_go.status, did_you_go.channel) == (N.SENT, "sms")
        asked = body_of(did_you_go)
        assert "did you manage to go" in asked and "reply 1 if you went" in asked

        clock.move_to(at(9, 12))
        response = client.post(
            reverse("nudges:notify_replies"),
            data=json.dumps(
                {
                    "id": "notify-reply-1",
                    "source_number": FROM_NOTIFY,
                    "destination_number": "07700987654",
                    "message": "1",
                    "date_received": "2026-03-09T12:00:00.000000Z",
                }
            ),
            content_type="application/json",
            headers={"Authorization": f"Bearer {TOKEN}"},
        )
        assert response.json() == {"outcome": "answered"}
        assert list(
            NudgeResponse.objects.filter(nudge=did_you_go).values_list("answer", flat=True)
        ) == ["went"]
        assert TextReply.objects.get(service_user=person).answer == "went"
        record = as_clinician().get(reverse("referrals:record", args=[person.public_id]))
        assert "I went (" in record.content.decode()  # the clinician sees the answer

        # 4. The provider's register for Thursday's session: marked attended in one POST.
        session = reverse(
            "referrals:inbox_register_session", args=[activity.public_id, "2026-03-05"]
        )
        listed = as_provider().get(reverse("referrals:inbox_register")).content.decode()
        assert session in listed
        field = f"r-{referral.public_id}"
        response = as_provider().post(session, {field: "attended"}, follow=True)
        html = response.content.decode()
        assert response.redirect_chain == [(session, 302)]
        assert "Register saved: 1 change recorded" in html
        assert "Sam Rivers" in html
        assert f'name="{field}" type="radio" value="attended" checked' in html
        mark = Attendance.objects.get(referral=referral, source=Attendance.SOURCE_PROVIDER)
        assert (mark.session_date, mark.status, mark.recorded_by) == (
            date(2026, 3, 5),
            Attendance.Status.ATTENDED,
            provider_staff,
        )
        referral.refresh_from_db()
        assert referral.provider_attended_on == date(2026, 3, 5)

        # 5. Another referral for the same person is declined on the inbox page: a task for
        # their assigned clinician, on the caseload.
        clock.move_to(at(9, 14))
        declined = refer(as_clinician(), person, swim)
        response = as_provider().post(
            inbox("inbox_decline", declined),
            {"decline-reason": "full", "decline-note": "Full until May"},
            follow=True,
        )
        assert "Referral declined. The clinician has been told" in response.content.decode()
        declined.refresh_from_db()
        assert (declined.status, declined.decline_reason) == (S.DECLINED, "full")
        task = Task.objects.get(referral=declined)
        assert (task.kind, task.service_user, task.done_at) == (
            Task.Kind.PROVIDER_DECLINED,
            person,
            None,
        )
        caseload = as_clinician().get(reverse("referrals:caseload"))
        [row] = [row for row in caseload.context["rows"] if row["person"].pk == person.pk]
        assert (row["open_tasks"], row["last_event"]) == (1, "Declined: Gentle swim, today")
        html = caseload.content.decode()
        assert "Sam Rivers" in html and "Declined: Gentle swim, today" in html
        assert escape(row["tasks_url"]) in html  # the open task, one click away
        tasks = as_clinician().get(reverse("referrals:tasks")).content.decode()
        assert "Sam Rivers" in tasks and escape("Gentle swim") in tasks

        send_due()  # whatever else is due today goes too, to be checked below

    # 6. Every message the gateway recorded to the service user says nothing clinical.
    to_person = Nudge.objects.filter(
        service_user=person, audience=AUDIENCE_SERVICE_USER, status__in=[N.SENT, N.DELIVERED]
    )
    sent = StoredMessage.objects.filter(reference__in=[n.gateway_reference for n in to_person])
    assert sent.count() == to_person.count()
    assert set(StoredMessage.objects.filter(recipient__in=[MOBILE, person.email])) == set(sent)
    assert set(to_person.values_list("template", "channel")) == {
        ("referral_details", "sms"),
        ("referral_accepted", "sms"),
        ("first_session_reminder", "sms"),
        ("did_you_go", "sms"),
    }
    for message in sent:
        text = "\n".join(str(value) for value in message.personalisation.values())
        assert not says_something_clinical(LINK.sub("", text)), text
