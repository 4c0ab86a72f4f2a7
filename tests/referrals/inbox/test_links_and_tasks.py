"""The provider's signed link, and the 14-day auto-decline."""

from datetime import timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from referrals.inbox import links
from referrals.models import Referral
from referrals.pathway import services
from referrals.tasks import auto_decline_unanswered
from talkingmoves.audit.models import AccessLog
from tests.referrals.factories import ReferralFactory
from tests.referrals.inbox.clinical import assert_nothing_clinical

S = Referral.Status


def link_url(referral):
    return reverse("referrals:provider_link", args=[links.provider_link_token(referral)])


def _accept_data(day):
    return {
        "decision": "accept",
        "accept-first_session_date-day": day.day,
        "accept-first_session_date-month": day.month,
        "accept-first_session_date-year": day.year,
        "accept-first_session_time": "10:00",
    }


def test_link_page_needs_no_sign_in_and_shows_nothing_clinical(client, sent):
    response = client.get(link_url(sent))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Alex Moss" in html and "Swim twice a week" in html
    assert_nothing_clinical(html)
    log = AccessLog.objects.get(object_id=str(sent.public_id))
    assert log.system_actor == links.LINK_ACTOR and links.provider_link_token(sent) not in log.path


def test_link_accepts_once(client, sent):
    target = link_url(sent)
    day = timezone.localdate() + timedelta(days=2)
    response = client.post(target, _accept_data(day))
    assert "Referral accepted" in response.content.decode()
    sent.refresh_from_db()
    assert sent.status == S.ACCEPTED and sent.first_session_at is not None
    assert sent.events.last().system_actor == links.LINK_ACTOR
    again = client.post(target, {"decision": "decline", "decline-reason": "full"})
    assert again.status_code == 410
    assert "This referral has already been answered" in again.content.decode()
    assert client.get(target).status_code == 410
    sent.refresh_from_db()
    assert sent.status == S.ACCEPTED


def test_link_declines_with_reason(client, sent):
    response = client.post(link_url(sent), {"decision": "decline"})
    assert "Select why you cannot take this referral" in response.content.decode()
    client.post(link_url(sent), {"decision": "decline", "decline-reason": "not_suitable"})
    sent.refresh_from_db()
    assert (sent.status, sent.decline_reason) == (S.DECLINED, "not_suitable")


def test_link_expires_after_14_days(client, sent):
    target = link_url(sent)
    with time_machine.travel(timezone.now() + timedelta(days=14, minutes=1)):
        response = client.get(target)
    assert response.status_code == 410
    assert "This link has expired" in response.content.decode()
    with time_machine.travel(timezone.now() + timedelta(days=13)):
        assert client.get(target).status_code == 200


def test_tampered_link_is_refused(client, sent, clinician, activity):
    token = links.provider_link_token(sent)
    for bad in (token[:-2] + "xx", token.replace(str(sent.public_id)[:8], "00000000"), "nope"):
        response = client.get(reverse("referrals:provider_link", args=[bad]))
        assert response.status_code == 400
        assert "This link is not valid" in response.content.decode()


def test_token_for_another_purpose_does_not_open_the_page(client, sent):
    from django.core import signing

    token = signing.TimestampSigner(salt="something-else").sign(str(sent.public_id))
    assert client.get(reverse("referrals:provider_link", args=[token])).status_code == 400


def test_auto_decline_after_14_days(activity, provider_staff):
    with time_machine.travel(timezone.now() - timedelta(days=15)):
        old = ReferralFactory(sent=True, activity=activity)
        old_answered = ReferralFactory(accepted=True, activity=activity, answered_by=provider_staff)
    fresh = ReferralFactory(sent=True, activity=activity)
    assert auto_decline_unanswered() == 1
    for referral in (old, old_answered, fresh):
        referral.refresh_from_db()
    assert (old.status, old.decline_reason) == (S.DECLINED, "no_response")
    assert old.events.last().system_actor == "14-day auto-decline"
    assert old_answered.status == S.ACCEPTED and fresh.status == S.SENT
    assert auto_decline_unanswered() == 0


def test_link_to_a_withdrawn_referral_says_so(client, sent, clinician):
    services.referral_move(referral=sent, to=S.WITHDRAWN, by=clinician, expected_from=S.SENT)
    response = client.get(link_url(sent))
    assert response.status_code == 410
    assert "This referral is no longer needed" in response.content.decode()
