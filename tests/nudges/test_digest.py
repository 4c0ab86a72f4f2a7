"""The clinicians' weekly digest: only for those with someone needing attention."""

import pytest

from referrals.models import Referral
from referrals.nudges import delivery
from referrals.nudges.digest import clinician_digests_schedule
from referrals.nudges.models import Nudge, NudgeSetting
from talkingmoves.notify.models import StoredMessage
from tests.referrals.factories import ReferralFactory


@pytest.fixture
def declined_referral(person, activity):
    return ReferralFactory(declined=True, service_user=person, activity=activity)


@pytest.mark.django_db
def test_digest_goes_only_to_clinicians_with_someone_needing_attention(
    declined_referral, clinician, other_clinician, lead
):
    assert clinician_digests_schedule() == 1
    digest = Nudge.objects.get(template="clinician_weekly_digest")
    assert digest.recipient_user == clinician
    # Running again in the same week adds nothing.
    assert clinician_digests_schedule() == 0

    Nudge.objects.exclude(pk=digest.pk).update(status=Nudge.Status.CANCELLED)
    delivery.deliver(delivery.claim_due()[0])
    message = StoredMessage.objects.get(reference=str(digest.pk))
    assert message.recipient == clinician.email
    assert message.personalisation["subject"].endswith("this week: 1")
    # It counts people; it does not name them.
    assert declined_referral.service_user.family_name not in message.personalisation["body"]
    assert "?show=attention" in message.personalisation["body"]


@pytest.mark.django_db
def test_digest_can_be_turned_off_by_the_service(declined_referral, clinician):
    NudgeSetting.objects.create(
        service=clinician.organisation,
        template="clinician_weekly_digest",
        enabled=False,
        offset_days=0,
        channel="",
    )
    assert clinician_digests_schedule() == 0


@pytest.mark.django_db
def test_no_digest_when_nothing_needs_attention(sent_referral):
    assert sent_referral.status == Referral.Status.SENT
    assert clinician_digests_schedule() == 0
