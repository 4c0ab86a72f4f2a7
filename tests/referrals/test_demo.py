from django.core.management import call_command

from referrals.models import Referral, ReferralEvent, ServiceUser


def test_demo_has_people_in_both_services_and_referrals_in_every_state(db):
    call_command("seed_demo")
    assert ServiceUser.objects.count() == 200
    assert ServiceUser.objects.values("service").distinct().count() == 2
    states = set(Referral.objects.values_list("status", flat=True))
    assert states >= {s for s in Referral.Status.values if s != "not_taken_up"}
    assert all(p.nhs_number.startswith("9") for p in ServiceUser.objects.all())
    # Histories are real: every referral's status is its last event's.
    for referral in Referral.objects.all():
        assert ReferralEvent.objects.filter(referral=referral).last().to_status == referral.status
    call_command("seed_demo")
    assert ServiceUser.objects.count() == 200
