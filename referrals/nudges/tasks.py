"""Celery tasks for the nudge outbox. Thin: the work is in delivery.py and sending.py."""

import logging
import time

from celery import shared_task
from django.conf import settings
from kombu.exceptions import OperationalError

from referrals.nudges import call_requests, delivery, digest, followups, sending

logger = logging.getLogger(__name__)

MAX_BATCHES_PER_RUN = 20
# Nudges per send task: one broker round trip for many messages, and small enough that
# every pool process gets a share of a burst.
SEND_BATCH = 50
# A send task stops taking new nudges after this long and puts the rest back, well inside
# its soft time limit (settings/workers.py), which must never interrupt a send.
SEND_TASK_BUDGET_SECONDS = 40


def claims_per_run() -> int:
    """At most what the gateway's limit lets out before the next run (a minute later), plus
    the burst: more would only wait in the queue while their claims grew old."""
    per_minute = settings.NUDGE_SEND_RATE_PER_MINUTE
    most = MAX_BATCHES_PER_RUN * delivery.CLAIM_BATCH
    if not per_minute:
        return most
    return min(most, per_minute + settings.NUDGE_SEND_BURST)


@shared_task(ignore_result=True)
def dispatch_due_nudges() -> int:
    """Claim due nudges in batches and queue one send task per SEND_BATCH of them. Runs
    every minute from beat."""
    queued = 0
    allowance = claims_per_run()
    ids = delivery.reclaim_stalled()
    while queued < allowance:
        ids += delivery.claim_due(limit=min(delivery.CLAIM_BATCH, allowance - queued))
        if not ids:
            break
        for start in range(0, len(ids), SEND_BATCH):
            batch = [str(nudge_id) for nudge_id in ids[start : start + SEND_BATCH]]
            try:
                send_nudges.delay(batch)
            except OperationalError:
                # The broker went away mid-batch: the rest wait in the table for next time.
                released = delivery.release(ids[start:])
                logger.warning("Broker unavailable; %s nudges left for the next run", released)
                return queued
            queued += len(batch)
        if len(ids) < delivery.CLAIM_BATCH:
            break
        ids = []
    return queued


@shared_task(ignore_result=True)
def send_nudge(nudge_id: str) -> str:
    return delivery.deliver(nudge_id)


@shared_task(ignore_result=True)
def send_nudges(nudge_ids: list[str]) -> int:
    """Deliver a batch of claimed nudges together (sending.send_batch). Returns how many it
    handled; any not sent when its time is up go back to the table for the next dispatch."""
    outcomes = sending.send_batch(nudge_ids, deadline=time.monotonic() + SEND_TASK_BUDGET_SECONDS)
    return sum(outcome != "put back" for outcome in outcomes.values())


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
