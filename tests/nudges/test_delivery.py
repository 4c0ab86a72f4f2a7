"""Delivering one nudge: the skip rules, deferrals, retries and the gateway reference."""

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from referrals.models import Referral, ServiceUser
from referrals.nudges import delivery, services
from referrals.nudges.models import Nudge
from talkingmoves.notify.gateway import GatewayError, LocalGateway
from talkingmoves.notify.models import StoredMessage
from tests.nudges.factories import accept

LONDON = ZoneInfo("Europe/London")
R = Nudge.SkipReason
N = Nudge.Status


def due(referral, template):
    """Make one of the referral's nudges due, and only that one."""
    later = timezone.now() + timedelta(days=60)
    referral.nudges.exclude(template=template).filter(due_at__lte=later).update(due_at=later)
    nudge = referral.nudges.get(template=template)
    Nudge.objects.filter(pk=nudge.pk).update(due_at=timezone.now() - timedelta(minutes=1))
    return nudge


def deliver_all(now=None) -> dict:
    outcomes = {}
    for nudge_id in delivery.claim_due(now=now):
        outcomes[str(nudge_id)] = delivery.deliver(nudge_id, now=now)
    return outcomes


def reload(nudge):
    nudge.refresh_from_db()
    return nudge


@pytest.mark.django_db
def test_due_nudge_is_sent_once_with_its_id_as_reference(sent_referral):
    nudge = due(sent_referral, "referral_details")
    assert deliver_all() == {str(nudge.pk): "sent"}
    nudge = reload(nudge)
    assert nudge.status == N.SENT
    assert nudge.channel == "email"
    assert nudge.sent_to == sent_referral.service_user.email
    message = StoredMessage.objects.get(reference=str(nudge.pk))
    assert "Beginners' walking group" in message.personalisation["body"]
    # A second dispatch finds nothing to do.
    assert deliver_all() == {}
    assert delivery.deliver(nudge.pk) == "not claimed"
    assert StoredMessage.objects.filter(reference=str(nudge.pk)).count() == 1


@pytest.mark.django_db
def test_answerable_message_carries_a_signed_link(sent_referral):
    # "Did you manage to go?" goes once the provider has accepted and the first session passed.
    accept(sent_referral)
    Referral.objects.filter(pk=sent_referral.pk).update(
        first_session_at=timezone.now() - timedelta(days=1)
    )
    nudge = due(sent_referral, "did_you_go")
    deliver_all()
    body = StoredMessage.objects.get(reference=str(nudge.pk)).personalisation["body"]
    assert "/n/" in body
    assert "therapy" not in body.lower()


@pytest.mark.django_db
def test_provider_gets_the_accept_or_decline_link(sent_referral):
    nudge = due(sent_referral, "provider_new_referral")
    deliver_all()
    message = StoredMessage.objects.get(reference=str(nudge.pk))
    assert message.recipient == "referrals@riverside.example"
    assert "/service-users/inbox/answer/" in message.personalisation["body"]
    # The provider sees no name and nothing clinical in the email.
    assert sent_referral.service_user.family_name not in message.personalisation["body"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"consent_email_at": None}, R.NO_CONSENT),
        ({"email": "not-an-address"}, R.NO_CONTACT),
        ({"nudges_stopped_at": timezone.now()}, R.OPTED_OUT),
        ({"erased_at": timezone.now()}, R.RECORD_ERASED),
    ],
)
def test_skip_rules_record_their_reason(sent_referral, change, reason):
    ServiceUser.objects.filter(pk=sent_referral.service_user_id).update(**change)
    nudge = due(sent_referral, "referral_details")
    deliver_all()
    nudge = reload(nudge)
    assert (nudge.status, nudge.skip_reason) == (N.SKIPPED, reason)
    assert not StoredMessage.objects.exists()


@pytest.mark.django_db
def test_preferred_channel_without_consent_falls_back_to_the_consented_one(sent_referral):
    ServiceUser.objects.filter(pk=sent_referral.service_user_id).update(preferred_contact="sms")
    nudge = due(sent_referral, "referral_details")
    deliver_all()
    assert reload(nudge).channel == "email"  # no SMS consent recorded


@pytest.mark.django_db
def test_ended_referral_skips(sent_referral):
    nudge = due(sent_referral, "check_in")
    Referral.objects.filter(pk=sent_referral.pk).update(status=Referral.Status.DECLINED)
    deliver_all()
    assert reload(nudge).skip_reason == R.REFERRAL_ENDED


@pytest.mark.django_db
def test_text_message_in_quiet_hours_moves_to_eight(sent_referral):
    ServiceUser.objects.filter(pk=sent_referral.service_user_id).update(
        consent_sms_at=timezone.now(), preferred_contact="sms"
    )
    nudge = due(sent_referral, "referral_details")
    late_evening = datetime(2026, 12, 1, 21, 30, tzinfo=LONDON)
    with time_machine.travel(late_evening, tick=False):
        Nudge.objects.filter(pk=nudge.pk).update(due_at=timezone.now())
        assert deliver_all() == {str(nudge.pk): "deferred"}
    nudge = reload(nudge)
    assert nudge.status == N.SCHEDULED
    assert nudge.due_at == datetime(2026, 12, 2, 8, 0, tzinfo=LONDON)
    assert nudge.deferred_reason.startswith("Quiet hours")
    with time_machine.travel(datetime(2026, 12, 2, 8, 0, 30, tzinfo=LONDON), tick=False):
        assert deliver_all() == {str(nudge.pk): "sent"}
    assert reload(nudge).channel == "sms"


@pytest.mark.django_db
def test_email_is_not_held_back_by_quiet_hours(sent_referral):
    nudge = due(sent_referral, "referral_details")
    with time_machine.travel(datetime(2026, 12, 1, 22, 0, tzinfo=LONDON), tick=False):
        Nudge.objects.filter(pk=nudge.pk).update(due_at=timezone.now())
        assert deliver_all() == {str(nudge.pk): "sent"}


@pytest.mark.django_db
def test_second_message_to_the_same_person_in_a_day_waits_until_tomorrow(sent_referral):
    details = due(sent_referral, "referral_details")
    check_in = sent_referral.nudges.get(template="check_in")
    Nudge.objects.filter(pk=check_in.pk).update(due_at=details.due_at)
    outcomes = deliver_all()
    assert sorted(outcomes.values()) == ["deferred", "sent"]
    waiting = reload(check_in) if outcomes[str(details.pk)] == "sent" else reload(details)
    assert waiting.status == N.SCHEDULED
    assert timezone.localtime(waiting.due_at).date() == timezone.localdate() + timedelta(days=1)
    assert "tomorrow" in waiting.deferred_reason


@pytest.mark.django_db
def test_day_seven_message_falls_due_on_day_seven(person, activity):
    # A signposting: "Did you manage to go?" does not wait for a provider's answer.
    from tests.referrals.factories import ReferralFactory

    signposting = ReferralFactory(signposted=True, service_user=person, activity=activity)
    sent_day = timezone.localtime(signposting.created_at).date()
    nudge = signposting.nudges.get(template="did_you_go")
    day_six = datetime.combine(sent_day + timedelta(days=6), datetime.min.time(), LONDON)
    with time_machine.travel(day_six.replace(hour=12), tick=False):
        assert str(nudge.pk) not in deliver_all()
    day_seven = day_six + timedelta(days=1)
    with time_machine.travel(day_seven.replace(hour=10, minute=1), tick=False):
        assert deliver_all().get(str(nudge.pk)) == "sent"


class FailingGateway(LocalGateway):
    temporary = True

    def send_email(self, **kwargs):
        raise GatewayError("Notify refused the message (503)", temporary=self.temporary)


class PermanentlyFailingGateway(FailingGateway):
    temporary = False


@pytest.mark.django_db
def test_temporary_gateway_error_retries_with_back_off(sent_referral, settings):
    settings.MESSAGE_GATEWAY = f"{__name__}.FailingGateway"
    nudge = due(sent_referral, "referral_details")
    now = timezone.now()
    assert deliver_all(now=now) == {str(nudge.pk): "retry"}
    nudge = reload(nudge)
    assert nudge.status == N.SCHEDULED
    assert nudge.due_at == now + timedelta(minutes=1)
    assert nudge.last_error == "Notify refused the message (503)"
    for attempt in range(2, delivery.MAX_ATTEMPTS + 1):
        now = nudge.due_at
        outcome = deliver_all(now=now)[str(nudge.pk)]
        nudge = reload(nudge)
        if attempt < delivery.MAX_ATTEMPTS:
            assert outcome == "retry"
            assert nudge.due_at == now + delivery.retry_delay(attempt)
    assert outcome == "failed"
    assert nudge.status == N.FAILED
    assert nudge.attempts == delivery.MAX_ATTEMPTS


@pytest.mark.django_db
def test_permanent_gateway_error_fails_at_once_and_can_be_retried(sent_referral, settings):
    settings.MESSAGE_GATEWAY = f"{__name__}.PermanentlyFailingGateway"
    nudge = due(sent_referral, "referral_details")
    assert deliver_all() == {str(nudge.pk): "failed"}
    assert reload(nudge).status == N.FAILED
    settings.MESSAGE_GATEWAY = ""
    services.nudge_retry(nudge=nudge)
    assert deliver_all() == {str(nudge.pk): "sent"}
    with pytest.raises(services.NudgeError):
        services.nudge_retry(nudge=nudge)


@pytest.mark.django_db
def test_resend_after_interruption_is_recognised_by_reference(sent_referral):
    nudge = due(sent_referral, "referral_details")
    [nudge_id] = delivery.claim_due()
    # The worker reached the gateway, then died before marking the nudge sent.
    LocalGateway().send_email(
        to="x@example.com", template="nudge_email", personalisation={}, reference=str(nudge_id)
    )
    Nudge.objects.filter(pk=nudge_id).update(
        attempts=1,
        lease_until=timezone.now() - timedelta(seconds=1),
        claimed_at=timezone.now() - timedelta(hours=1),
    )
    assert delivery.reclaim_stalled() == [nudge.pk]
    assert delivery.deliver(nudge_id) == "already sent"
    assert reload(nudge).status == N.SENT
    assert StoredMessage.objects.filter(reference=str(nudge_id)).count() == 1


@pytest.mark.django_db
def test_a_live_lease_is_not_reclaimed(sent_referral):
    due(sent_referral, "referral_details")
    [nudge_id] = delivery.claim_due()
    Nudge.objects.filter(pk=nudge_id).update(
        claimed_at=timezone.now() - timedelta(hours=1),
        lease_until=timezone.now() + timedelta(minutes=1),
    )
    assert delivery.reclaim_stalled() == []


@pytest.mark.django_db
def test_release_puts_unqueued_claims_back(sent_referral):
    due(sent_referral, "referral_details")
    ids = delivery.claim_due()
    assert delivery.release(ids) == 1
    assert Nudge.objects.get(pk=ids[0]).status == N.SCHEDULED


# --- Notify delivery-status callback ---------------------------------------------------------


@pytest.fixture
def callback(client, settings):
    settings.NOTIFY_CALLBACK_TOKEN = "a-long-shared-secret-for-callbacks"

    def post(payload, token="a-long-shared-secret-for-callbacks"):
        return client.post(
            reverse("nudges:notify_callback"),
            data=json.dumps(payload),
            content_type="application/json",
            headers={"Authorization": f"Bearer {token}"} if token else {},
        )

    return post


@pytest.mark.django_db
def test_callback_marks_delivered_and_failed(sent_referral, callback):
    nudge = due(sent_referral, "referral_details")
    deliver_all()
    response = callback({"id": "n-1", "reference": str(nudge.pk), "status": "delivered"})
    assert response.status_code == 200
    assert reload(nudge).status == N.DELIVERED
    callback({"id": "n-1", "reference": str(nudge.pk), "status": "permanent-failure"})
    nudge = reload(nudge)
    assert nudge.status == N.FAILED
    assert nudge.last_error == "Notify reported permanent-failure"


@pytest.mark.django_db
@pytest.mark.parametrize("token", [None, "wrong-token"])
def test_callback_refuses_a_missing_or_wrong_token(sent_referral, callback, token):
    nudge = due(sent_referral, "referral_details")
    deliver_all()
    response = callback({"reference": str(nudge.pk), "status": "delivered"}, token=token)
    assert response.status_code == 401
    assert reload(nudge).status == N.SENT


@pytest.mark.django_db
@pytest.mark.parametrize(
    "payload", [{"status": "delivered"}, {"reference": "not-a-uuid", "status": "delivered"}]
)
def test_callback_bad_input(callback, payload):
    response = callback(payload)
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert response.json() == {"updated": False}


@pytest.mark.django_db
def test_callback_only_accepts_post(client):
    assert client.get(reverse("nudges:notify_callback")).status_code == 405


@pytest.mark.django_db
def test_send_due_nudges_command_moves_the_clock_on(frozen, sent_referral):
    # A weekday morning: seven days on is inside sending hours (on a Saturday it was deferred).
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    call_command("send_due_nudges", stdout=out)
    assert "2 sent" in out.getvalue()  # referral details and the provider's new referral
    call_command("send_due_nudges", "--days-ahead", "7", stdout=out)
    # Day 7 with no answer from the provider: their clinician hears, the person is not asked.
    silent = sent_referral.nudges.get(template="clinician_provider_silent")
    assert silent.status == N.SENT
    assert StoredMessage.objects.filter(reference=str(silent.pk)).exists()
    did_you_go = sent_referral.nudges.get(template="did_you_go")
    assert (did_you_go.status, did_you_go.skip_reason) == (N.SKIPPED, R.PROVIDER_SILENT)
    with pytest.raises(CommandError):
        call_command("send_due_nudges", "--as-of", "next tuesday")


class BrokenGateway(LocalGateway):
    def send_email(self, **kwargs):
        raise KeyError("a bug, not the gateway")


@pytest.mark.django_db
def test_an_unexpected_fault_fails_the_nudge_instead_of_looping(sent_referral, settings):
    settings.MESSAGE_GATEWAY = f"{__name__}.BrokenGateway"
    nudge = due(sent_referral, "referral_details")
    assert deliver_all() == {str(nudge.pk): "failed"}
    nudge = reload(nudge)
    assert (nudge.status, nudge.last_error) == (N.FAILED, "Could not be sent (KeyError)")
    assert nudge.lease_until is None


@pytest.mark.django_db
def test_a_nudge_whose_worker_keeps_dying_ends_failed(sent_referral):
    due(sent_referral, "referral_details")
    [nudge_id] = delivery.claim_due()
    Nudge.objects.filter(pk=nudge_id).update(attempts=delivery.MAX_ATTEMPTS)
    assert delivery.deliver(nudge_id) == "failed"
    assert Nudge.objects.get(pk=nudge_id).last_error == "Interrupted too many times"


@pytest.mark.django_db
def test_a_retried_nudge_first_asks_the_gateway(sent_referral, settings):
    nudge = due(sent_referral, "referral_details")
    [nudge_id] = delivery.claim_due()
    # The gateway took the message, then reported a failure.
    LocalGateway().send_email(
        to="x@example.com", template="nudge_email", personalisation={}, reference=str(nudge_id)
    )
    Nudge.objects.filter(pk=nudge_id).update(status=N.FAILED, lease_until=None)
    services.nudge_retry(nudge=nudge)
    assert deliver_all() == {str(nudge.pk): "already sent"}
    assert StoredMessage.objects.filter(reference=str(nudge_id)).count() == 1
