"""Sending at the gateway's pace: one token per message from the bucket every worker shares
(talkingmoves/notify/ratelimit.py), and a 429 from the gateway handled as "not yet".

Neither costs the message an attempt or its reference: nothing reached the gateway, so the
nudge goes back to `scheduled` as it was, a little later, and the next send is the first.
"""

import contextlib
import logging
import random
import time
from datetime import datetime, timedelta

from django.db.models import F
from django.utils import timezone

from referrals.nudges.models import Nudge
from talkingmoves.notify.ratelimit import BucketUnavailable, send_bucket

logger = logging.getLogger(__name__)
N = Nudge.Status

# A worker waits in the bucket this long at most; a longer wait puts the nudge back, so a
# worker is never parked on one message while its lease runs down.
MAX_WAIT_SECONDS = 2.0
# After a 429 every worker waits for the bucket to refill; the nudge itself comes back after
# this, plus a little jitter so that the ones put back together do not return together.
RATE_LIMITED_BACKOFF = timedelta(seconds=30)
BUCKET_DOWN_BACKOFF = timedelta(seconds=30)
WAITING = "Waiting for the gateway's rate limit"


def _put_back(nudge: Nudge, *, due_at: datetime, reason: str, error: str = "") -> int:
    changes = {"last_error": error[:300]} if error else {}
    return Nudge.objects.filter(pk=nudge.pk, status=N.SENDING).update(
        status=N.SCHEDULED,
        due_at=due_at,
        deferred_reason=reason,
        claimed_at=None,
        lease_until=None,
        # Not an attempt: nothing reached the gateway.
        attempts=F("attempts") - 1,
        updated_at=timezone.now(),
        **changes,
    )


def token_for(nudge: Nudge, *, now: datetime) -> bool:
    """Take a token for one message. False: the nudge has been put back for later."""
    bucket = send_bucket()
    if bucket is None:
        return True
    waited = 0.0
    try:
        while (wait := bucket.take()) > 0:
            if waited + wait > MAX_WAIT_SECONDS:
                _put_back(nudge, due_at=now + timedelta(seconds=wait), reason=WAITING)
                return False
            time.sleep(wait)
            waited += wait
    except BucketUnavailable:
        # Without the shared count no worker can know the pace: wait rather than risk it.
        logger.warning("Send rate bucket unavailable; nudge %s put back", nudge.pk)
        _put_back(nudge, due_at=now + BUCKET_DOWN_BACKOFF, reason=WAITING)
        return False
    return True


def rate_limited(nudge: Nudge, *, now: datetime) -> str:
    """The gateway said 429: nothing was sent. Every worker slows down (the shared bucket is
    emptied), and this nudge comes back shortly under the same reference."""
    bucket = send_bucket()
    if bucket is not None:
        with contextlib.suppress(BucketUnavailable):
            bucket.empty()
    jitter = timedelta(seconds=random.uniform(0, RATE_LIMITED_BACKOFF.total_seconds() / 2))  # noqa: S311
    _put_back(
        nudge,
        due_at=now + RATE_LIMITED_BACKOFF + jitter,
        reason=WAITING,
        error="The gateway's rate limit was reached; sent again shortly",
    )
    logger.warning("Nudge %s: gateway rate limit (429), put back", nudge.pk)
    return "rate limited"
