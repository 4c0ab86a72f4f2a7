"""Sending at the gateway's real limit: one token bucket in Redis for every worker, a 429
handled without losing or doubling anything, and claims made in batches."""

import os
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from referrals.nudges import delivery, tasks
from referrals.nudges.models import Nudge
from talkingmoves.celery import app as project_app
from talkingmoves.notify.gateway import GatewayError, NotifyGateway
from talkingmoves.notify.models import StoredMessage
from talkingmoves.notify.ratelimit import TokenBucket, send_bucket

from .slow_gateway import RateLimitedOnceGateway
from .workers import RedisServer, Worker, database_url, due_nudges, use_broker, wait_until

N = Nudge.Status
SECOND = 1_000_000  # the bucket's clock counts microseconds


@pytest.fixture
def redis_server():
    server = RedisServer().start()
    yield server
    server.stop()


@pytest.fixture
def bucket(redis_server):
    client = redis.Redis.from_url(redis_server.url)
    return TokenBucket(client=client, key=f"bucket-{uuid.uuid4()}", per_minute=600, burst=5)


@pytest.fixture
def limited(settings, redis_server):
    """The send bucket on, in this test's own Redis: 10 a second, bursts of 5."""
    settings.NUDGE_SEND_RATE_PER_MINUTE = 600
    settings.NUDGE_SEND_BURST = 5
    settings.NUDGE_RATE_LIMIT_REDIS_URL = redis_server.url
    settings.NUDGE_SEND_BUCKET_KEY = f"bucket-{uuid.uuid4()}"
    return send_bucket()


def test_the_bucket_gives_the_burst_then_the_rate(bucket):
    start = 1_000 * SECOND
    assert [bucket.take(now_us=start) for _ in range(5)] == [0] * 5
    assert bucket.take(now_us=start) == pytest.approx(0.1)
    # A tenth of a second later one token has come back, and only one.
    assert bucket.take(now_us=start + SECOND // 10) == 0
    assert bucket.take(now_us=start + SECOND // 10) > 0
    # Idle for a minute: full again, but never more than the burst.
    later = start + 60 * SECOND
    assert sum(bucket.take(now_us=later) == 0 for _ in range(20)) == 5


def test_two_workers_taking_at_once_never_get_more_than_the_bucket_holds(bucket):
    now = 5_000 * SECOND
    barrier = threading.Barrier(2)

    def worker():
        barrier.wait()
        return sum(bucket.take(now_us=now) == 0 for _ in range(200))

    with ThreadPoolExecutor(2) as pool:
        granted = list(pool.map(lambda _: worker(), range(2)))
    assert sum(granted) == 5, granted
    # Over ten simulated seconds, both together get the burst plus ten a second.
    total = 0
    for tick in range(1, 101):
        at = now + tick * SECOND // 10
        with ThreadPoolExecutor(2) as pool:
            total += sum(pool.map(lambda _, at=at: bucket.take(now_us=at) == 0, range(4)))
    assert total == 100


def test_after_a_429_every_worker_waits_for_the_refill(bucket):
    now = 9_000 * SECOND
    assert bucket.take(now_us=now) == 0
    bucket.empty(now_us=now)
    assert bucket.take(now_us=now) == pytest.approx(0.1)


@pytest.mark.django_db
def test_a_429_puts_the_message_back_with_its_reference_kept(clinician, settings, limited):
    settings.MESSAGE_GATEWAY = "tests.nudges.slow_gateway.RateLimitedOnceGateway"
    RateLimitedOnceGateway.refused.clear()
    [nudge] = due_nudges(1, clinician=clinician)
    [claimed] = delivery.claim_due()
    now = timezone.now()
    assert delivery.deliver(claimed, now=now) == "rate limited"
    nudge.refresh_from_db()
    assert nudge.status == N.SCHEDULED
    assert nudge.due_at > now
    assert nudge.attempts == 0  # nothing reached the gateway: not an attempt
    assert nudge.gateway_reference == str(nudge.pk)
    assert not StoredMessage.objects.exists()
    # Every worker slows down: the shared bucket is empty.
    assert limited.take() > 0

    limited.reset()
    assert delivery.claim_due(now=nudge.due_at) == [nudge.pk]
    assert delivery.deliver(nudge.pk, now=nudge.due_at) == "sent"
    nudge.refresh_from_db()
    assert nudge.status == N.SENT
    assert list(StoredMessage.objects.values_list("reference", flat=True)) == [str(nudge.pk)]


@pytest.mark.django_db
def test_a_message_waiting_too_long_for_a_token_goes_back_unsent(clinician, limited):
    [nudge] = due_nudges(1, clinician=clinician)
    limited.empty()
    limited.per_minute = 6  # one token every ten seconds: longer than a worker waits
    [claimed] = delivery.claim_due()
    assert delivery.deliver(claimed) == "deferred"
    nudge.refresh_from_db()
    assert (nudge.status, nudge.attempts, nudge.deferred_reason) == (
        N.SCHEDULED,
        0,
        "Waiting for the gateway's rate limit",
    )
    assert not StoredMessage.objects.exists()


class _Response:
    def __init__(self, status, error):
        self.status_code = status
        self._error = error

    def json(self):
        return {"status_code": self.status_code, "errors": [{"error": self._error}]}


@pytest.mark.parametrize(
    ("status", "error", "rate_limited", "temporary"),
    [
        (429, "RateLimitError", True, True),
        (429, "TooManyRequestsError", False, True),
        (500, "Exception", False, True),
        (400, "BadRequestError", False, False),
    ],
)
def test_notify_answers_map_to_gateway_errors(settings, status, error, rate_limited, temporary):
    from notifications_python_client.errors import HTTPError

    def refuse(**kwargs):
        raise HTTPError(_Response(status, error))

    gateway = NotifyGateway.__new__(NotifyGateway)
    with pytest.raises(GatewayError) as raised:
        gateway._send(refuse, reference="r")
    assert (raised.value.rate_limited, raised.value.temporary) == (rate_limited, temporary)


@pytest.mark.django_db
def test_claims_are_one_statement_per_batch(clinician):
    due_nudges(30, clinician=clinician)
    with CaptureQueriesContext(connection) as queries:
        first = delivery.claim_due(limit=20)
    statements = [q["sql"] for q in queries if "SAVEPOINT" not in q["sql"]]
    assert len(statements) == 1
    assert statements[0].startswith("UPDATE") and "SKIP LOCKED" in statements[0]
    second = delivery.claim_due(limit=20)
    assert (len(first), len(second)) == (20, 10)
    assert not set(first) & set(second)
    assert Nudge.objects.filter(status=N.SENDING).count() == 30


@pytest.mark.django_db
def test_the_dispatcher_claims_no_more_than_the_limit_lets_out_before_its_next_run(
    clinician, settings, monkeypatch
):
    settings.NUDGE_SEND_RATE_PER_MINUTE = 20
    settings.NUDGE_SEND_BURST = 5
    queued = []
    monkeypatch.setattr(tasks.send_nudges, "delay", queued.append)
    due_nudges(60, clinician=clinician)
    assert tasks.dispatch_due_nudges() == 25
    assert sum(len(batch) for batch in queued) == 25
    assert Nudge.objects.filter(status=N.SCHEDULED).count() == 35


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_two_workers_together_never_exceed_the_bucket(clinician, redis_server, tmp_path):
    """Four processes could send these in a fraction of a second; the bucket (a burst of 5,
    then 10 a second) holds both workers to it."""
    use_broker(project_app, redis_server.url)
    per_second, burst, count = 10, 5, 40
    env = {
        "NUDGE_SEND_RATE_PER_MINUTE": str(per_second * 60),
        "NUDGE_SEND_BURST": str(burst),
        "NUDGE_RATE_LIMIT_REDIS_URL": redis_server.url,
        "NUDGE_SEND_BUCKET_KEY": f"bucket-{uuid.uuid4()}",
    }
    started = []
    try:
        for name in ("one", "two"):
            worker = Worker(
                name=name,
                database_url=database_url(connection.settings_dict),
                broker_url=redis_server.url,
                log_dir=tmp_path,
                settings_module=os.environ["DJANGO_SETTINGS_MODULE"],
                env=env,
            )
            started.append(worker.start())
        for worker in started:
            worker.wait_ready(project_app)
        ids = [n.pk for n in due_nudges(count, clinician=clinician)]
        tasks.SEND_BATCH, batch = 5, tasks.SEND_BATCH  # so both workers get a share
        try:
            assert tasks.dispatch_due_nudges() == count
        finally:
            tasks.SEND_BATCH = batch
        mine = Nudge.objects.filter(pk__in=ids)
        wait_until(lambda: mine.filter(status=N.SENT).count() == count, timeout=60)
    finally:
        for worker in started:
            worker.kill()
        use_broker(project_app, None)
    references = {str(pk) for pk in ids}
    sent = sorted(
        StoredMessage.objects.filter(reference__in=references).values_list("created_at", flat=True)
    )
    assert len(sent) == count  # each once
    # Recorded just after its token was taken: allow each message half a second of lag.
    lag = 0.5
    for i, first in enumerate(sent):
        for j in range(i, len(sent)):
            window = (sent[j] - first).total_seconds()
            assert j - i + 1 <= burst + per_second * (window + lag), (i, j, window)
