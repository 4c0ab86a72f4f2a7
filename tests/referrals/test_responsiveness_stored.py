"""Provider responsiveness kept in the database (issue 14): the stored figures are the ones
worked out from the referrals, move when an answer is recorded, and are rebuilt nightly."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from referrals import tasks
from referrals.models import ProviderResponsiveness
from referrals.pathway import responsiveness, services
from tests.providers.factories import ActivityFactory
from tests.referrals.factories import ReferralFactory


def _sent(clinician, activity, count):
    return ReferralFactory.create_batch(
        count,
        sent=True,
        activity=activity,
        service_user__service=clinician.organisation,
        service_user__assigned_clinician=clinician,
    )


def _answer_on_days(referrals, provider_staff, start, days):
    for day, referral in zip(days, referrals, strict=True):
        with time_machine.travel(start + timedelta(days=day, hours=day), tick=False):
            services.referral_accept(referral=referral, by=provider_staff, first_session_at=None)


def test_the_stored_figure_is_the_computed_one_for_dated_answers(
    clinician, activity, provider, provider_staff
):
    start = timezone.now() - timedelta(days=60)
    with time_machine.travel(start, tick=False):
        sent = _sent(clinician, activity, 9)
    _answer_on_days(sent[:5], provider_staff, start, (1, 3, 4, 9, 20))  # odd count: middle one
    with time_machine.travel(start + timedelta(days=2), tick=False):
        services.referral_decline(referral=sent[5], by=provider_staff, reason="full")
    services.referral_decline(
        referral=sent[6], reason="no_response", system_actor="14-day auto-decline"
    )
    stored = responsiveness.for_provider(provider.pk)
    computed = responsiveness.computed_for_providers([provider.pk])[provider.pk]
    assert (stored.sent, stored.answered, stored.accepted) == (
        computed.sent,
        computed.answered,
        computed.accepted,
    )
    assert stored.median_days == pytest.approx(computed.median_days)
    assert (stored.sent, stored.answered, stored.accepted) == (9, 7, 5)
    # Replies after 1d1h, 2d2h, 3d3h, 4d4h, 9d9h, 20d20h: the mean of the middle two.
    assert stored.median_days == pytest.approx((3 + 3 / 24 + 4 + 4 / 24) / 2)


def test_the_stored_figure_changes_when_an_answer_is_recorded(
    clinician, activity, provider, provider_staff
):
    start = timezone.now() - timedelta(days=10)
    with time_machine.travel(start, tick=False):
        sent = _sent(clinician, activity, 5)
    assert responsiveness.for_provider(provider.pk).median_days is None
    _answer_on_days(sent[:1], provider_staff, start, (2,))
    figures = responsiveness.for_provider(provider.pk)
    assert (figures.answered, figures.accepted) == (1, 1)
    assert figures.median_days == pytest.approx(2 + 2 / 24)
    _answer_on_days(sent[1:2], provider_staff, start, (4,))
    assert responsiveness.for_provider(provider.pk).median_days == pytest.approx(
        (2 + 2 / 24 + 4 + 4 / 24) / 2
    )


def test_the_nightly_reconcile_moves_the_twelve_months_on(clinician, activity, provider):
    _sent(clinician, activity, 5)
    assert responsiveness.for_provider(provider.pk).sent == 5
    with time_machine.travel(timezone.now() + timedelta(days=366)):
        assert responsiveness.for_provider(provider.pk).sent == 5  # stored, not recomputed
        assert tasks.reconcile_provider_responsiveness() == 1
        assert responsiveness.for_provider(provider.pk) is None
        assert not ProviderResponsiveness.objects.filter(provider=provider).exists()


def test_a_refresh_with_nothing_left_in_the_twelve_months_removes_the_figure(
    clinician, activity, provider
):
    _sent(clinician, activity, 5)
    other = ActivityFactory(takes_referrals=True, referral_email="referrals@other.example")
    elsewhere = _sent(clinician, other, 5)[0].activity.provider_id
    with time_machine.travel(timezone.now() + timedelta(days=366)):
        responsiveness.responsiveness_refresh(provider_ids=[provider.pk])
    assert not ProviderResponsiveness.objects.filter(provider=provider).exists()
    assert ProviderResponsiveness.objects.get(provider_id=elsewhere).sent == 5  # not asked


def test_the_reconcile_repairs_a_drifted_figure_and_reports_it(
    clinician, activity, provider, provider_staff
):
    _sent(clinician, activity, 6)
    ProviderResponsiveness.objects.filter(provider=provider).update(sent=99)
    assert responsiveness.responsiveness_reconcile() == 1
    assert responsiveness.for_provider(provider.pk).sent == 6
    assert responsiveness.responsiveness_reconcile() == 0


def test_the_reconcile_runs_nightly():
    entries = [e for e in settings.CELERY_BEAT_SCHEDULE.values()]
    assert any(e["task"] == "referrals.tasks.reconcile_provider_responsiveness" for e in entries)
