"""Periodic referral jobs. Thin: the work is in services; each referral is declined in its own
transaction, so one failure does not hold back the rest."""

import logging
from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from referrals.models import Referral
from referrals.pathway import responsiveness, services

logger = logging.getLogger(__name__)

AUTO_DECLINE_AFTER = timedelta(days=14)
AUTO_DECLINE_ACTOR = "14-day auto-decline"


def unanswered_referrals(*, now=None):
    cutoff = (now or timezone.now()) - AUTO_DECLINE_AFTER
    return Referral.objects.filter(status=Referral.Status.SENT, sent_at__lt=cutoff)


@shared_task(ignore_result=True)
def auto_decline_unanswered() -> int:
    """Decline referrals a provider has not answered in 14 days, so the clinician can look
    for something else. A referral answered meanwhile is refused by the service and skipped."""
    declined = 0
    for referral in unanswered_referrals().only("pk").iterator():
        try:
            services.referral_decline(
                referral=referral,
                reason=Referral.DeclineReason.NO_RESPONSE,
                system_actor=AUTO_DECLINE_ACTOR,
                note="No answer from the provider in 14 days",
            )
        except services.ReferralError:
            logger.info("Referral %s answered before auto-decline", referral.pk)
        else:
            declined += 1
    return declined


@shared_task(ignore_result=True)
def tasks_for_silent_providers() -> int:
    """A task for the clinician of each referral a provider has not answered in 7 days."""
    from referrals.worklist.services import tasks_for_silent_providers as make

    return make()


@shared_task(ignore_result=True)
def reconcile_provider_responsiveness() -> int:
    """Nightly: rebuild every provider's stored responsiveness for the 12 months to now, so
    referrals leave the figures as they age out. Logs how many stored figures had drifted."""
    drifted = responsiveness.responsiveness_reconcile()
    logger.info("Provider responsiveness reconciled: %s figures changed", drifted)
    return drifted
