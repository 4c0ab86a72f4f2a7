"""Delivering a batch of claimed nudges: the outbox's engine (one nudge is a batch of one).

Lease the whole batch in one statement, load what its decisions and messages need in a few
queries (context.py), decide each, take tokens for the batch from the shared bucket
(delivery_rate.py), call the gateway for each message, and record the outcomes a few at a
time in bulk (recording.py). No transaction is held across the gateway calls: the gateway's
record of each reference is what detects a message sent by a worker that died before it
could say so, and the lookup by reference on the next attempt finds it.
"""

import logging
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import DatabaseError
from django.utils import timezone

from referrals.nudges import context, recording
from referrals.nudges import delivery_rate as rate
from referrals.nudges.decisions import Decision, decide
from referrals.nudges.delivery import lease_length, message_context
from referrals.nudges.messages import TEMPLATES
from referrals.nudges.models import Nudge
from talkingmoves.notify.gateway import GatewayError, get_gateway

logger = logging.getLogger(__name__)
R = Nudge.SkipReason

# Sends recorded together: few enough that a worker killed mid-batch leaves only these for
# the lookup by reference, many enough that recording costs a fraction of a query each.
SENT_FLUSH = 10
# A batch stops sending when this share of its lease has gone and puts the rest back: past
# its lease the dispatcher hands the nudges out again, and another task would send them too.
LEASE_SHARE = 0.8


@dataclass
class Ready:
    nudge: Nudge
    decision: Decision
    personalisation: dict
    possible_duplicate: bool


def send_batch(nudge_ids, *, now: datetime | None = None, deadline: float | None = None) -> dict:
    """Deliver these claimed nudges. Returns what happened to each, by id as a string ("not
    claimed" for one another task holds or that is finished). `deadline` (time.monotonic()):
    nudges not yet sent by then, or when most of the lease has gone, go back to the outbox,
    not counted as an attempt."""
    now = now or timezone.now()
    stop_at = time.monotonic() + lease_length().total_seconds() * LEASE_SHARE
    if deadline is not None:
        stop_at = min(stop_at, deadline)
    outcomes = {str(nudge_id): "not claimed" for nudge_id in nudge_ids}
    leased = recording.lease(nudge_ids, now=now, until=now + lease_length())
    if not leased:
        return outcomes
    nudges = context.load(leased)
    facts = context.BatchFacts(nudges, now=now)
    recorder = recording.Recorder(now)
    gateway = get_gateway()
    ready = []
    for nudge in nudges:
        if nudge.attempts > recording.MAX_ATTEMPTS:
            # Claimed again and again without finishing: its worker keeps dying on it.
            recorder.failed(nudge, "Interrupted too many times")
            continue
        try:
            item = _prepare(nudge, facts, gateway, recorder)
        except DatabaseError:
            raise  # the database is away: the leases run out and the dispatcher hands them out
        except Exception as error:
            _fault(nudge, error, recorder)
            continue
        if item is not None:
            ready.append(item)
    # Last look before the gateway: a referral ended or a nudge cancelled meanwhile.
    wanted = context.still_wanted([item.nudge for item in ready])
    for item in ready:
        if item.nudge.pk not in wanted:
            recorder.skip(item.nudge, R.REFERRAL_ENDED)
    recorder.flush()
    _send_all([item for item in ready if item.nudge.pk in wanted], gateway, recorder, stop_at)
    recorder.flush()
    outcomes.update(recorder.outcomes)
    return outcomes


def _fault(nudge: Nudge, error: Exception, recorder) -> None:
    """A fault in our code or data, not the gateway's: fail it where a lead can see it,
    rather than retrying it for ever."""
    logger.exception("Nudge %s could not be sent", nudge.pk)
    recorder.failed(nudge, f"Could not be sent ({type(error).__name__})")


def _prepare(nudge: Nudge, facts, gateway, recorder) -> Ready | None:
    """Decide one nudge; a Ready message, or None with the outcome recorded."""
    decision = decide(nudge, now=recorder.now, facts=facts)
    possible_duplicate = False
    if nudge.attempts > 1:
        # An earlier attempt may have reached the gateway before its worker died. Asked
        # before the skip rules: a message that went out is recorded as sent, whatever the
        # rules say now (a referral ended, an opt-out, quiet hours since).
        try:
            earlier = gateway.find_by_reference(nudge.gateway_reference)
        except GatewayError:
            earlier, possible_duplicate = None, True
        if earlier is not None and earlier.failed:
            # It reached the gateway and failed there: never "sent". What goes out now is a
            # new message under a new reference, so its delivery reports are its own.
            nudge.send_reference = uuid.uuid4()
            Nudge.objects.filter(pk=nudge.pk).update(send_reference=nudge.send_reference)
        elif earlier is not None:
            recorder.sent(
                nudge,
                gateway_id=earlier.gateway_id,
                channel=decision.channel,
                to=decision.to,
                outcome="already sent",
            )
            logger.info("Nudge %s was already at the gateway; not sent again", nudge.pk)
            return None
    if decision.skip:
        recorder.skip(nudge, decision.skip)
        return None
    if decision.defer_until is not None:
        recorder.defer(nudge, until=decision.defer_until, reason=decision.defer_reason)
        return None
    facts.will_message(nudge)
    context_ = message_context(nudge, sender=facts.sender(nudge.service_id))
    subject, body = TEMPLATES[nudge.template].render(decision.channel, context_)
    return Ready(nudge, decision, {"subject": subject, "body": body}, possible_duplicate)


def _send_all(ready: list[Ready], gateway, recorder, stop_at: float) -> None:
    """Send at the bucket's pace: take tokens for as many as are waiting, send that many,
    and again; a long wait, an unreachable bucket, the time up (`stop_at`, monotonic) or a
    429 puts the rest back, unsent and not counted as an attempt."""
    pending, waited, now = list(ready), 0.0, recorder.now
    while pending:
        granted, wait = rate.tokens(len(pending))
        too_long = not granted and (
            waited + wait > rate.MAX_WAIT_SECONDS or time.monotonic() + wait > stop_at
        )
        if granted is None or too_long:
            later = rate.BUCKET_DOWN_BACKOFF if granted is None else timedelta(seconds=wait)
            recorder.put_back(
                [item.nudge for item in pending],
                due_at=now + later,
                reason=rate.WAITING,
                outcome="deferred",
            )
            return
        if not granted:
            time.sleep(wait)
            waited += wait
            continue
        waited = 0.0
        chunk, pending = pending[:granted], pending[granted:]
        for position, item in enumerate(chunk):
            if time.monotonic() > stop_at:
                recorder.flush_sent()
                rest = [other.nudge for other in chunk[position:] + pending]
                recorder.put_back(rest, due_at=now, reason="", outcome="put back")
                return
            try:
                sent = _send(gateway, item)
            except GatewayError as error:
                if error.rate_limited:
                    recorder.flush_sent()
                    rest = [other.nudge for other in chunk[position:] + pending]
                    rate.rate_limited(rest, recorder, now=now)
                    return
                outcome = recorder.failed(item.nudge, str(error), temporary=error.temporary)
                logger.warning("Nudge %s: gateway error (%s)", item.nudge.pk, outcome)
            except DatabaseError:
                raise
            except Exception as error:
                _fault(item.nudge, error, recorder)
            else:
                recorder.sent(
                    item.nudge,
                    gateway_id=sent.gateway_id,
                    channel=item.decision.channel,
                    to=item.decision.to,
                    possible_duplicate=item.possible_duplicate,
                )
                if recorder.unrecorded >= SENT_FLUSH:
                    recorder.flush_sent()
        recorder.flush_sent()


def _send(gateway, item: Ready):
    decision = item.decision
    send = gateway.send_sms if decision.channel == Nudge.Channel.SMS else gateway.send_email
    return send(
        to=decision.to,
        template=f"nudge_{decision.channel}",
        personalisation=item.personalisation,
        reference=item.nudge.gateway_reference,
    )
