"""Sending at the gateway's pace: one token per message from the bucket every worker shares
(talkingmoves/notify/ratelimit.py), taken for a batch at a time, and a 429 from the gateway
handled as "not yet".

Neither costs the message an attempt or its reference: nothing reached the gateway, so the
nudge goes back to `scheduled` as it was, a little later, and the next send is the first.
"""

import contextlib
import logging
from datetime import datetime, timedelta

from talkingmoves.notify.ratelimit import BucketUnavailable, send_bucket

logger = logging.getLogger(__name__)

# A worker waits in the bucket this long at most; a longer wait puts the nudge back, so a
# worker is never parked on one message while its lease runs down.
MAX_WAIT_SECONDS = 2.0
# After a 429 every worker waits for the bucket to refill; the nudge itself comes back after
# this, plus a little jitter so that the ones put back together do not return together.
RATE_LIMITED_BACKOFF = timedelta(seconds=30)
BUCKET_DOWN_BACKOFF = timedelta(seconds=30)
WAITING = "Waiting for the gateway's rate limit"


def tokens(wanted: int) -> tuple[int | None, float]:
    """Tokens for up to `wanted` messages from the shared bucket, in one call: how many were
    granted (None when the bucket could not be asked) and the seconds until the next one."""
    bucket = send_bucket()
    if bucket is None:
        return wanted, 0.0
    try:
        return bucket.take_up_to(wanted)
    except BucketUnavailable:
        # Without the shared count no worker can know the pace: wait rather than risk it.
        logger.warning("Send rate bucket unavailable; %s nudges put back", wanted)
        return None, 0.0


def rate_limited(nudges, recorder, *, now: datetime) -> None:
    """The gateway said 429: nothing was sent. Every worker slows down (the shared bucket is
    emptied), and these nudges come back shortly under the same references."""
    bucket = send_bucket()
    if bucket is not None:
        with contextlib.suppress(BucketUnavailable):
            bucket.empty()
    recorder.put_back(
        nudges,
        due_at=now + RATE_LIMITED_BACKOFF,
        jitter=RATE_LIMITED_BACKOFF.total_seconds() / 2,
        reason=WAITING,
        outcome="rate limited",
        error="The gateway's rate limit was reached; sent again shortly",
    )
    logger.warning("Gateway rate limit (429): %s nudges put back", len(nudges))
