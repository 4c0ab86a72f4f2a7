"""The morning burst at the gateway's limit, for `python -m bench.nudges` (BENCH_ONLY=burst).

A simulation: a fake clock over the real token bucket in a private redis-server; nothing is
sent and no database is used.
"""

import os

BURST_MESSAGES = int(os.environ.get("BENCH_BURST_MESSAGES", "20000"))
BURST_WORKERS = 2  # Celery workers, each with one process per CPU
GATEWAY_SECONDS = 0.08  # one Notify call, as the simulated workers wait for it


def burst_drain(messages: int = BURST_MESSAGES) -> float:
    """20,000 messages released at 08:00 (quiet hours end), through the real token bucket
    in a private redis-server, on a simulated clock: the dispatcher runs every minute and
    claims what tasks.claims_per_run() allows; each pool process takes a send task of
    tasks.SEND_BATCH, asks the bucket for that many tokens at once (take_up_to, the Lua
    script given the simulated time), then spends GATEWAY_SECONDS on each Notify call for
    those it was granted, and asks again for the rest.
    Prints the drain time, the most sent in any 60 seconds, and whether Notify's own bucket
    (50 a second, 1,001 at most) would have refused any. No database, no real sending."""
    import heapq

    import redis
    from django.conf import settings

    from referrals.nudges import tasks
    from talkingmoves.notify.ratelimit import TokenBucket
    from tests.nudges.workers import RedisServer

    server = RedisServer().start()
    try:
        bucket = TokenBucket(
            client=redis.Redis.from_url(server.url),
            key="burst-simulation",
            per_minute=settings.NUDGE_SEND_RATE_PER_MINUTE,
            burst=settings.NUDGE_SEND_BURST,
        )
        processes = BURST_WORKERS * (os.cpu_count() or 1)
        per_run = tasks.claims_per_run()
        micro = 1_000_000
        call = int(GATEWAY_SECONDS * micro)
        claimed, taken, sent_times, next_run, bucket_calls = 0, 0, [], 0, 0
        free = [(0, n) for n in range(processes)]  # (time in µs, process)
        heapq.heapify(free)
        while taken < messages:
            now, process = heapq.heappop(free)
            while next_run <= now:  # beat: the dispatcher's runs so far
                claimed = min(messages, claimed + per_run)
                next_run += 60 * micro
            if taken >= claimed:
                heapq.heappush(free, (next_run, process))  # nothing claimed left: wait
                continue
            granted, wait = bucket.take_up_to(min(tasks.SEND_BATCH, claimed - taken), now_us=now)
            bucket_calls += 1
            if not granted:
                heapq.heappush(free, (now + max(1, int(wait * micro)), process))
                continue
            taken += granted
            sent_times.extend(now + k * call for k in range(granted))
            heapq.heappush(free, (now + granted * call, process))
    finally:
        server.stop()
    sent_times.sort()
    drained = (sent_times[-1] + GATEWAY_SECONDS * micro) / micro
    most, start = 0, 0
    for end, at in enumerate(sent_times):
        while at - sent_times[start] >= 60 * micro:
            start += 1
        most = max(most, end - start + 1)
    tokens, last, refused = 1001.0, 0, 0
    for at in sent_times:  # Notify's bucket, as its documentation describes it
        tokens = min(1001.0, tokens + (at - last) / micro * 50)
        last = at
        if tokens >= 1:
            tokens -= 1
        else:
            refused += 1
    print(
        f"morning burst (simulated clock, real Redis bucket: {settings.NUDGE_SEND_RATE_PER_MINUTE}"
        f"/min, burst {settings.NUDGE_SEND_BURST}; {processes} sending processes, "
        f"{GATEWAY_SECONDS * 1000:.0f} ms per Notify call, tokens taken per send task of "
        f"{tasks.SEND_BATCH}: {bucket_calls:,} bucket calls): {messages:,} released at 08:00 "
        f"drained in {drained / 60:.2f} min ({drained:.0f} s); most in any 60 s: {most:,}; "
        f"Notify's bucket would have refused {refused}"
    )
    return drained
