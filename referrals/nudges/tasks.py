"""Celery tasks for the nudge outbox. Thin: the work is in delivery.py."""

import logging

from celery import shared_task
from kombu.exceptions import OperationalError

from referrals.nudges import call_requests, delivery, digest, followups

logger = logging.getLogger(__name__)

MAX_BATCHES_PER_RUN = 20


@shared_task(ignore_result=True)
def dispatch_due_nudges() -> int:
    """Claim due nudges and queue one send task each. Runs every minute from beat."""
    queued = 0
    ids = delivery.reclaim_stalled()
    for _ in range(MAX_BATCHES_PER_RUN):
        ids += delivery.claim_due()
        if not ids:
            break
        for position, nudge_id in enumerate(ids):
            try:
                send_nudge.delay(str(nudge_id))
            except OperationalError:
                # The broker went away mid-batch: the rest wait in the table for next time.
                released = delivery.release(ids[position:])
                logger.warning("Broker unavailable; %s nudges left for the next run", released)
                return queued
            queued += 1
        if len(ids) < delivery.CLAIM_BATCH:
            break
        ids = []
    return queued


@shared_task(ignore_result=True)
def send_nudge(nudge_id: str) -> str:
    return delivery.deliver(nudge_id)


@shared_task(ignore_result=True)
def clinician_weekly_digests() -> int:
    return digest.clinician_digests_schedule()


@shared_task(ignore_result=True)
def escalate_call_requests() -> int:
    """Call requests not marked done within a working day: tell the duty contact and the
    leads. Runs every few minutes from beat."""
    return call_requests.call_requests_escalate()


@shared_task(ignore_result=True)
def tasks_for_unanswered_messages() -> int:
    """A task for the clinician when a "did you go?" message goes unanswered for a week."""
    return followups.tasks_for_unanswered_messages()
