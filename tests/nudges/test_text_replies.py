"""Replies by text message: GOV.UK Notify's received-text-message callback, numbered answers,
STOP, words kept for the clinician, and starting messages again with consent."""

import json
import logging
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from referrals.models import ServiceUser
from referrals.nudges import hooks, replies
from referrals.nudges.models import (
    CallRequest,
    MessagesConsentEvent,
    Nudge,
    NudgeResponse,
    TextReply,
)
from tests.factories import ClinicianFactory
from tests.referrals.factories import ServiceUserFactory

TOKEN = "a-long-shared-secret-for-replies"
NUMBER = "07700 900123"
FROM_NOTIFY = "447700900123"  # Notify sends the international form without the +
N = Nudge.Status
K = TextReply.Kind


@pytest.fixture
def texted(person, sent_referral):
    """The person consents to texts and was sent "Did you manage to go?" by text today."""
    now = timezone.now()
    ServiceUser.objects.filter(pk=person.pk).update(
        mobile=NUMBER, consent_sms_at=now, consent_sms_by=person.assigned_clinician
    )
    nudge = sent_referral.nudges.get(template="did_you_go")
    Nudge.objects.filter(pk=nudge.pk).update(
        status=N.SENT, channel="sms", sent_to=NUMBER, sent_at=now - timedelta(hours=2)
    )
    nudge.refresh_from_db()
    return nudge


@pytest.fixture
def reply(client, settings):
    settings.NOTIFY_INBOUND_CALLBACK_TOKEN = TOKEN
    sequence = iter(range(1, 1000))

    def post(message, *, number=FROM_NOTIFY, token=TOKEN, notify_id=None, payload=None):
        body = payload or {
            "id": notify_id or f"notify-{next(sequence)}",
            "source_number": number,
            "destination_number": "07700987654",
            "message": message,
            "date_received": timezone.now().strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        }
        return client.post(
            reverse("nudges:notify_replies"),
            data=json.dumps(body),
            content_type="application/json",
            headers={"Authorization": f"Bearer {token}"} if token else {},
        )

    return post


@pytest.mark.django_db
@pytest.mark.parametrize(("text", "answer"), [("1", "went"), (" 2. ", "not_yet"), ("1 👍", "went")])
def test_a_number_answers_the_choices_the_last_message_stated(texted, reply, text, answer):
    response = reply(text)
    assert response.json() == {"outcome": "answered"}
    assert list(NudgeResponse.objects.filter(nudge=texted).values_list("answer", flat=True)) == [
        answer
    ]
    saved = TextReply.objects.get()
    assert (saved.kind, saved.answer, saved.nudge_id) == (K.ANSWER, answer, texted.pk)


@pytest.mark.django_db
def test_three_asks_for_a_call_through_the_answer_service(texted, reply):
    assert reply("3").json() == {"outcome": "answered"}
    assert CallRequest.objects.filter(nudge=texted).exists()


@pytest.mark.django_db
def test_the_message_states_the_choices_it_maps(texted):
    from referrals.nudges.messages import REPLY_ANSWERS, TEMPLATES

    sms = TEMPLATES["did_you_go"].sms
    for number in REPLY_ANSWERS:
        assert f"{number} " in sms or f"{number}," in sms
    assert "STOP" in sms


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text", ["STOP", "stop", "STOP ALL", "Unsubscribe", "stop please", "  Stop 🛑 ", "STOPALL"]
)
def test_stop_and_its_variants_stop_messages_at_once(texted, reply, person, text):
    pending = Nudge.objects.filter(service_user=person, status=N.SCHEDULED)
    assert pending.filter(audience="service_user").exists()
    assert reply(text).json() == {"outcome": "stopped"}
    person.refresh_from_db()
    assert person.nudges_stopped_at is not None
    assert not pending.filter(audience="service_user").exists()
    event = MessagesConsentEvent.objects.get(service_user=person)
    assert (event.change, event.source) == ("stopped", "text_reply")


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["Please don't stop", "1 and 2", "", "Yes I went 😀", "4"])
def test_anything_else_is_kept_for_the_clinician(texted, reply, person, text):
    heard = []
    receiver = hooks.text_reply_received.register(lambda reply: heard.append(reply))
    try:
        assert reply(text).json() == {"outcome": "kept"}
    finally:
        hooks.text_reply_received._receivers.remove(receiver)
    saved = TextReply.objects.get()
    assert (saved.kind, saved.text, saved.read_at) == (K.FREE_TEXT, text, None)
    assert heard == [saved]
    person.refresh_from_db()
    assert person.nudges_stopped_at is None
    assert not NudgeResponse.objects.exists()


@pytest.mark.django_db
def test_a_number_long_after_the_question_goes_to_the_clinician(texted, reply):
    Nudge.objects.filter(pk=texted.pk).update(sent_at=timezone.now() - timedelta(days=20))
    assert reply("1").json() == {"outcome": "kept"}
    assert not NudgeResponse.objects.exists()


@pytest.mark.django_db
def test_the_same_reply_twice_is_recorded_once(texted, reply):
    assert reply("1", notify_id="n-1").json() == {"outcome": "answered"}
    assert reply("1", notify_id="n-1").json() == {"outcome": "duplicate"}
    assert TextReply.objects.count() == 1
    assert NudgeResponse.objects.count() == 1


@pytest.mark.django_db
def test_a_reply_from_an_unknown_number_is_dropped_and_logged_without_content(
    texted, reply, caplog
):
    caplog.set_level(logging.INFO)
    assert reply("my secret words", number="447700900999").json() == {"outcome": "unknown number"}
    assert not TextReply.objects.exists()
    assert "secret" not in caplog.text
    assert "900999" not in caplog.text


@pytest.mark.django_db
@pytest.mark.parametrize("token", [None, "wrong-token", TOKEN + "x"])
def test_a_wrong_token_is_refused_and_nothing_stored(texted, reply, token, person):
    assert reply("STOP", token=token).status_code == 401
    assert not TextReply.objects.exists()
    person.refresh_from_db()
    assert person.nudges_stopped_at is None


@pytest.mark.django_db
def test_no_token_configured_refuses_every_callback(texted, reply, settings):
    settings.NOTIFY_INBOUND_CALLBACK_TOKEN = ""
    assert reply("STOP", token="").status_code == 401


@pytest.mark.django_db
@pytest.mark.parametrize(
    "payload", [{"message": "hi"}, {"id": "", "source_number": "1", "message": "x"}, [1, 2]]
)
def test_bad_input_is_refused(reply, payload):
    assert reply("", payload=payload).status_code == 400
    assert not TextReply.objects.exists()


@pytest.mark.django_db
def test_callback_only_accepts_post(client):
    assert client.get(reverse("nudges:notify_replies")).status_code == 405


def test_reading_replies():
    assert replies.words_of("  STOP!!  please 🙏") == ["stop", "please"]
    assert replies.is_stop(["stop", "all"]) and replies.is_stop(["opt", "out"])
    assert not replies.is_stop(["don", "t", "stop"])
    assert replies.number_forms("+44 7700 900123") == ["447700900123", "07700900123"]


# --- On the record ------------------------------------------------------------------------


@pytest.mark.django_db
def test_unread_replies_show_on_the_record_for_the_assigned_clinician_only(
    texted, reply, person, client_for, lead
):
    reply("Can we talk about the times?")
    record = reverse("referrals:record", kwargs={"public_id": person.public_id})
    mine = client_for(person.assigned_clinician).get(record).content.decode()
    assert "Can we talk about the times?" in mine
    colleague = ClinicianFactory(organisation=person.service)
    for other in (lead, colleague):
        assert "Can we talk about the times?" not in client_for(other).get(record).content.decode()


@pytest.mark.django_db
def test_marking_a_reply_read(texted, reply, person, client_for, lead):
    reply("Running late this week")
    saved = TextReply.objects.get()
    url = reverse("nudges:reply_read", kwargs={"reply_id": saved.pk})
    assert client_for(lead).post(url).status_code == 404  # not the assigned clinician
    assert client_for(person.assigned_clinician).get(url).status_code == 405
    response = client_for(person.assigned_clinician).post(url)
    assert response.status_code == 302
    saved.refresh_from_db()
    assert saved.read_by == person.assigned_clinician
    first_read = saved.read_at
    client_for(person.assigned_clinician).post(url)  # twice: changes nothing
    saved.refresh_from_db()
    assert saved.read_at == first_read
    assert client_for(lead).post(reverse("nudges:reply_read", args=[999999])).status_code == 404


@pytest.mark.django_db
def test_a_clinician_restarts_messages_with_the_consent_recorded(texted, reply, person, client_for):
    reply("STOP")
    url = reverse("nudges:restart_messages", kwargs={"public_id": person.public_id})
    clinician = client_for(person.assigned_clinician)
    assert clinician.get(url).status_code == 200
    # Bad input: nothing changes, the page says why.
    response = clinician.post(url, {"consent_note": "   "})
    assert response.status_code == 200
    assert "Enter how the service user asked to get messages again" in response.content.decode()
    person.refresh_from_db()
    assert person.nudges_stopped_at is not None
    response = clinician.post(url, {"consent_note": "Asked on the phone today"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.nudges_stopped_at is None
    restarted = MessagesConsentEvent.objects.get(change="restarted")
    assert (restarted.by, restarted.consent_note) == (
        person.assigned_clinician,
        "Asked on the phone today",
    )
    record = clinician.get(reverse("referrals:record", kwargs={"public_id": person.public_id}))
    page = record.content.decode()
    assert "Messages stopped" in page and "Messages started again" in page
    assert "Asked on the phone today" in page
    # Not stopped any more: a second restart is refused.
    response = clinician.post(url, {"consent_note": "Again"})
    assert "Messages to this person are not stopped" in response.content.decode()


@pytest.mark.django_db
def test_restart_permissions(person, client_for, cast, client):
    ServiceUser.objects.filter(pk=person.pk).update(nudges_stopped_at=timezone.now())
    url = reverse("nudges:restart_messages", kwargs={"public_id": person.public_id})
    assert client.get(url).status_code == 302  # anonymous: to sign in
    assert client_for(cast["provider"]).get(url).status_code == 403
    assert client_for(cast["partnership"]).get(url).status_code == 403
    assert client_for(cast["other_clinician"]).get(url).status_code == 404
    assert client_for(cast["lead"]).get(url).status_code == 200
    missing = reverse(
        "nudges:restart_messages", kwargs={"public_id": ServiceUserFactory.build().public_id}
    )
    assert client_for(cast["clinician"]).get(missing).status_code == 404


@pytest.mark.django_db
def test_words_for_the_clinician_become_a_task_once(texted, reply, person):
    from referrals.worklist.models import Task

    reply("Can I bring my sister?", notify_id="notify-sister")
    reply("Can I bring my sister?", notify_id="notify-sister")  # Notify calls back twice
    task = Task.objects.get(service_user=person)
    # The words stay on the reply, for the assigned clinician only; the task only points.
    assert (task.kind, task.detail, task.done_at) == ("text_reply", "", None)
