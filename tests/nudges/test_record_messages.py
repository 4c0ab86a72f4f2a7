"""A service user's messages on their record, and the call requests they raise: shown with
status, reason and answer, marked done by their clinicians only."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from referrals.models import ServiceUser
from referrals.nudges import answers
from referrals.nudges.models import CallRequest, Nudge, NudgeResponse, TextReply
from referrals.records.selectors import CaseloadFilter, caseload
from talkingmoves.audit.models import AccessLog
from tests.nudges.factories import NudgeFactory, did_you_go

N = Nudge.Status


# --- The record's Messages section and call requests ---------------------------------------


@pytest.mark.django_db
def test_the_record_lists_messages_with_status_reason_and_answer(
    client_for, clinician, sent_referral
):
    person = sent_referral.service_user
    asked = did_you_go(sent_referral)
    Nudge.objects.filter(pk=asked.pk).update(status=N.SENT, sent_at=timezone.now())
    answers.nudge_answer(nudge=asked, answer="not_yet")
    NudgeFactory(
        service_user=person, template="check_in", status=N.SKIPPED, skip_reason="no_consent"
    )
    response = client_for(clinician).get(reverse("referrals:record", args=[person.public_id]))
    html = response.content.decode()
    assert 'id="messages"' in html
    assert "&quot;Did you manage to go?&quot;" in html or '"Did you manage to go?"' in html
    assert "Answered: Not yet" in html
    assert "Not sent: no consent for this channel" in html
    assert "nhsuk-tag--green" in html and "Sent" in html


@pytest.mark.django_db
def test_the_record_messages_take_two_queries(sent_referral, django_assert_num_queries):
    from referrals.nudges.selectors import record_nudges

    person = sent_referral.service_user
    for nudge in sent_referral.nudges.all()[:3]:
        NudgeResponse.objects.create(nudge=nudge, answer="not_yet")
    with django_assert_num_queries(2):
        result = record_nudges(person)
    assert len(result.rows) == sent_referral.nudges.count()


@pytest.mark.django_db
def test_each_record_reads_its_own_messages_and_replies(sent_referral):
    """The record's message reads are compiled once: a second person's call reads theirs."""
    from referrals.nudges.reply_selectors import record_replies
    from referrals.nudges.selectors import record_nudges

    person = sent_referral.service_user
    asked = did_you_go(sent_referral)
    answers.nudge_answer(nudge=asked, answer="not_yet")
    other = NudgeFactory(template="check_in").service_user

    mine, theirs = record_nudges(person), record_nudges(other)

    assert len(mine.rows) == person.nudges.count() and len(theirs.rows) == 1
    assert theirs.rows[0]["title"] != "" and not theirs.rows[0]["answers"]
    assert [row for row in mine.rows if row["answers"]]
    TextReply.objects.create(
        service_user=person, notify_id="r1", received_at=timezone.now(), text="Went twice",
        kind=TextReply.Kind.FREE_TEXT,
    )  # fmt: skip
    assert [r["text"] for r in record_replies(person).unread] == ["Went twice"]
    assert record_replies(other).unread == []


@pytest.mark.django_db
def test_an_open_call_request_shows_with_mark_as_done(client_for, clinician, sent_referral):
    person = sent_referral.service_user
    nudge = did_you_go(sent_referral)
    answers.nudge_answer(nudge=nudge, answer="call_me")
    record = reverse("referrals:record", args=[person.public_id])
    done_url = reverse("nudges:call_request_done", args=[nudge.pk])
    html = client_for(clinician).get(record).content.decode()
    assert "Asked for a call" in html and done_url in html

    response = client_for(clinician).post(done_url)
    assert response.status_code == 302 and response["Location"].endswith("#messages")
    request = CallRequest.objects.get()
    assert request.done_at is not None and request.done_by == clinician
    assert AccessLog.objects.filter(
        actor=clinician, action=AccessLog.Action.UPDATE, path=done_url
    ).exists()
    assert done_url not in client_for(clinician).get(record).content.decode()


@pytest.mark.parametrize(
    "role,expected",
    [
        ("clinician", 302),
        ("lead", 302),
        ("other_clinician", 404),
        ("partnership", 403),
        ("provider", 403),
        ("admin", 403),
    ],
)
def test_call_request_done_permissions(cast, client_for, sent_referral, role, expected):
    nudge = did_you_go(sent_referral)
    answers.nudge_answer(nudge=nudge, answer="call_me")
    url = reverse("nudges:call_request_done", args=[nudge.pk])
    assert client_for(cast[role]).post(url).status_code == expected
    assert (CallRequest.objects.get().done_at is not None) == (expected == 302)


@pytest.mark.django_db
def test_call_request_done_needs_post_login_and_a_real_request(
    client_for, clinician, sent_referral
):
    nudge = did_you_go(sent_referral)
    url = reverse("nudges:call_request_done", args=[nudge.pk])
    assert client_for(clinician).get(url).status_code == 405
    assert client_for(clinician).post(url).status_code == 404  # no call request yet
    anonymous = Client().post(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(
        reverse("accounts:login")
    )


@pytest.mark.django_db
def test_a_call_request_puts_the_person_in_needs_attention(clinician, sent_referral):
    person = sent_referral.service_user
    attention = caseload(clinician, clinician=clinician, show=CaseloadFilter.NEEDS_ATTENTION)
    assert person not in attention
    answers.nudge_answer(nudge=did_you_go(sent_referral), answer="call_me")
    assert person in attention.all()
    answers.call_request_done(call_request=CallRequest.objects.get(), by=clinician)
    assert person not in attention.all()


@pytest.mark.django_db
def test_a_whole_journey_answer_then_the_clinician_sees_it(client_for, clinician, sent_referral):
    from django.core.cache import cache

    cache.clear()
    nudge = did_you_go(sent_referral)
    from referrals.nudges import links

    Client().post(links.answer_path(nudge), {"answer": "went"})
    person = ServiceUser.objects.get(pk=sent_referral.service_user_id)
    html = client_for(clinician).get(reverse("referrals:record", args=[person.public_id]))
    assert "Answered: I went" in html.content.decode()
    cache.clear()
