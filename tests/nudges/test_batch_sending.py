"""Sending claimed nudges in batches (referrals/nudges/sending.py): one lease statement and a
few loads per batch, tokens taken for the batch from the shared bucket, outcomes recorded in
bulk, and still each message once, whatever happens in the middle of a batch."""

import os
import threading
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
import redis
from django.db import connection
from django.db.models import CharField, Count
from django.db.models.functions import Cast
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from referrals.models import ServiceUser
from referrals.nudges import delivery, sending, tasks
from referrals.nudges.models import Nudge
from talkingmoves.celery import app as project_app
from talkingmoves.notify.models import StoredMessage
from talkingmoves.notify.ratelimit import TokenBucket, send_bucket

from .slow_gateway import RateLimitedOnceOverallGateway
from .workers import RedisServer, Worker, database_url, due_nudges, use_broker, wait_until

N = Nudge.Status
SECOND = 1_000_000  # the bucket's clock counts microseconds


@pytest.fixture
def redis_server():
    server = RedisServer().start()
    yield server
    server.stop()


@pytest.fixture
def limited(settings, redis_server):
    """The send bucket on, in this test's own Redis: 10 a second, bursts of 5."""
    settings.NUDGE_SEND_RATE_PER_MINUTE = 600
    settings.NUDGE_SEND_BURST = 5
    settings.NUDGE_RATE_LIMIT_REDIS_URL = redis_server.url
    settings.NUDGE_SEND_BUCKET_KEY = f"bucket-{uuid.uuid4()}"
    return send_bucket()


def sends_per_reference(ids) -> Counter:
    references = [str(pk) for pk in ids]
    return Counter(
        dict(
            StoredMessage.objects.filter(reference__in=references)
            .values_list("reference")
            .annotate(n=Count("id"))
        )
    )


def claimed(count, clinician) -> list:
    ids = [n.pk for n in due_nudges(count, clinician=clinician)]
    assert sorted(delivery.claim_due(), key=str) == sorted(ids, key=str)
    return ids


# --- The bucket, a batch at a time -----------------------------------------------------------


def test_take_up_to_grants_what_is_there_and_says_when_the_next_comes(redis_server):
    bucket = TokenBucket(
        client=redis.Redis.from_url(redis_server.url), key="b", per_minute=600, burst=5
    )
    start = 1_000 * SECOND
    assert bucket.take_up_to(3, now_us=start) == (3, 0)
    granted, wait = bucket.take_up_to(50, now_us=start)
    assert granted == 2
    assert wait == pytest.approx(0.1)
    assert bucket.take_up_to(50, now_us=start) == (0, pytest.approx(0.1))
    # Half a second later, five have come back; never more than the burst.
    assert bucket.take_up_to(50, now_us=start + SECOND // 2)[0] == 5
    assert bucket.take_up_to(50, now_us=start + 60 * SECOND)[0] == 5


def test_two_workers_taking_batches_never_get_more_than_the_bucket_holds(redis_server):
    """Two workers (two connections) asking for batches of 7 at the same simulated moments
    get, together, the burst and then exactly the refill."""
    key, now = f"bucket-{uuid.uuid4()}", 5_000 * SECOND
    buckets = [
        TokenBucket(client=redis.Redis.from_url(redis_server.url), key=key, per_minute=600, burst=5)
        for _ in range(2)
    ]
    barrier = threading.Barrier(2)

    def worker(bucket):
        barrier.wait()
        total = 0
        for tick in range(101):  # ten simulated seconds, a tenth at a time
            total += bucket.take_up_to(7, now_us=now + tick * SECOND // 10)[0]
        return total

    with ThreadPoolExecutor(2) as pool:
        granted = list(pool.map(worker, buckets))
    assert sum(granted) == 5 + 100, granted


# --- One batch, in this process --------------------------------------------------------------


@pytest.mark.django_db
def test_a_batch_is_leased_loaded_and_recorded_in_a_few_queries(clinician):
    ids = claimed(50, clinician)
    with CaptureQueriesContext(connection) as queries:
        outcomes = sending.send_batch(ids)
    assert Counter(outcomes.values()) == {"sent": 50}
    messages = [q["sql"] for q in queries if 'INSERT INTO "notify_storedmessage"' in q["sql"]]
    assert len(messages) == 50  # one per message: the local gateway's own row
    others = [q["sql"] for q in queries if q["sql"] not in messages]
    assert len(others) <= 15, "\n".join(others)
    leases = [sql for sql in others if "attempts = attempts + 1" in sql]
    assert len(leases) == 1 and "RETURNING" in leases[0]
    assert sends_per_reference(ids) == Counter({str(pk): 1 for pk in ids})
    assert Counter(Nudge.objects.filter(pk__in=ids).values_list("status", flat=True)) == {
        N.SENT: 50
    }
    assert not Nudge.objects.filter(pk__in=ids, lease_until__isnull=False).exists()
    assert set(Nudge.objects.filter(pk__in=ids).values_list("attempts", flat=True)) == {1}


@pytest.mark.django_db
def test_each_rule_still_holds_for_each_nudge_of_a_batch(clinician):
    ids = claimed(5, clinician)
    nudges = list(Nudge.objects.filter(pk__in=ids).select_related("service_user"))
    no_consent, opted_out, erased, second, first = nudges
    ServiceUser.objects.filter(pk=no_consent.service_user_id).update(consent_email_at=None)
    ServiceUser.objects.filter(pk=opted_out.service_user_id).update(
        nudges_stopped_at=timezone.now()
    )
    ServiceUser.objects.filter(pk=erased.service_user_id).update(erased_at=timezone.now())
    # Two messages to one person in one batch: the second, a day-N message, waits for
    # tomorrow (the first, sent on an event, counts; it is not held back itself).
    Nudge.objects.filter(pk=second.pk).update(
        service_user=first.service_user,
        template="check_in",
        due_at=first.due_at + timedelta(seconds=1),
    )

    outcomes = sending.send_batch(ids)

    assert outcomes[str(no_consent.pk)] == outcomes[str(opted_out.pk)] == "skipped"
    reasons = dict(Nudge.objects.filter(pk__in=ids).values_list("pk", "skip_reason"))
    assert reasons[no_consent.pk] == Nudge.SkipReason.NO_CONSENT
    assert reasons[opted_out.pk] == Nudge.SkipReason.OPTED_OUT
    assert reasons[erased.pk] == Nudge.SkipReason.RECORD_ERASED
    assert (outcomes[str(first.pk)], outcomes[str(second.pk)]) == ("sent", "deferred")
    waiting = Nudge.objects.get(pk=second.pk)
    assert (waiting.status, waiting.attempts) == (N.SCHEDULED, 0)
    assert "tomorrow" in waiting.deferred_reason
    assert sum(sends_per_reference(ids).values()) == 1


@pytest.mark.django_db
def test_a_nudge_cancelled_after_its_claim_is_left_alone_by_the_batch(clinician):
    ids = claimed(3, clinician)
    Nudge.objects.filter(pk=ids[0]).update(status=N.CANCELLED)
    outcomes = sending.send_batch(ids)
    assert outcomes[str(ids[0])] == "not claimed"
    assert Nudge.objects.get(pk=ids[0]).status == N.CANCELLED
    assert set(sends_per_reference(ids)) == {str(ids[1]), str(ids[2])}


@pytest.mark.django_db
def test_a_batch_never_sends_more_than_its_tokens(clinician, limited):
    limited.per_minute = 6  # after the burst of 5, one token every ten seconds
    ids = claimed(12, clinician)
    outcomes = sending.send_batch(ids)
    assert Counter(outcomes.values()) == {"sent": 5, "deferred": 7}
    assert sum(sends_per_reference(ids).values()) == 5
    waiting = Nudge.objects.filter(pk__in=ids, status=N.SCHEDULED)
    assert waiting.count() == 7
    assert set(waiting.values_list("attempts", flat=True)) == {0}
    assert set(waiting.values_list("deferred_reason", flat=True)) == {
        "Waiting for the gateway's rate limit"
    }


@pytest.mark.django_db
def test_a_429_mid_batch_backs_off_and_each_message_is_sent_once_on_the_retry(
    clinician, settings, limited
):
    settings.MESSAGE_GATEWAY = "tests.nudges.slow_gateway.RateLimitedOnceOverallGateway"
    RateLimitedOnceOverallGateway.seen = []
    ids = claimed(5, clinician)  # the burst: tokens for all five
    now = timezone.now()
    outcomes = sending.send_batch(ids, now=now)
    assert Counter(outcomes.values()) == {"sent": 3, "rate limited": 2}
    back = list(Nudge.objects.filter(pk__in=ids, status=N.SCHEDULED))
    assert len(back) == 2
    for nudge in back:
        assert nudge.attempts == 0  # nothing reached the gateway
        assert now + timedelta(seconds=30) <= nudge.due_at <= now + timedelta(seconds=45)
        assert nudge.gateway_reference == str(nudge.pk)
    # Every worker waits: the shared bucket was emptied.
    assert limited.take_up_to(1)[0] == 0

    limited.reset()
    later = now + timedelta(minutes=1)
    retried = delivery.claim_due(now=later)
    assert sorted(retried, key=str) == sorted((nudge.pk for nudge in back), key=str)
    assert Counter(sending.send_batch(retried, now=later).values()) == {"sent": 2}
    assert sends_per_reference(ids) == Counter({str(pk): 1 for pk in ids})
    # The refused message was offered twice, the one after it once: no message twice.
    assert Counter(RateLimitedOnceOverallGateway.seen).most_common(1)[0][1] == 2
    assert Counter(Nudge.objects.filter(pk__in=ids).values_list("status", flat=True)) == {N.SENT: 5}


@pytest.mark.django_db
def test_when_the_tasks_time_is_up_the_rest_go_back_unsent(clinician):
    ids = claimed(4, clinician)
    outcomes = sending.send_batch(ids, deadline=0)  # long past
    assert Counter(outcomes.values()) == {"put back": 4}
    assert not sends_per_reference(ids)
    rows = Nudge.objects.filter(pk__in=ids)
    assert set(rows.values_list("status", "attempts", "lease_until")) == {(N.SCHEDULED, 0, None)}
    assert len(delivery.claim_due()) == 4


@pytest.mark.django_db
def test_a_batch_with_redis_unreachable_sends_nothing(clinician, settings):
    settings.NUDGE_SEND_RATE_PER_MINUTE = 600
    settings.NUDGE_RATE_LIMIT_REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens
    settings.NUDGE_SEND_BUCKET_KEY = f"bucket-{uuid.uuid4()}"
    ids = claimed(3, clinician)
    assert Counter(sending.send_batch(ids).values()) == {"deferred": 3}
    assert not sends_per_reference(ids)
    assert Nudge.objects.filter(pk__in=ids, status=N.SCHEDULED, attempts=0).count() == 3


# --- Real workers ----------------------------------------------------------------------------


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_batch_loses_nothing_and_sends_nothing_twice(
    clinician, redis_server, settings, tmp_path
):
    """Killed with one batch part recorded, part at the gateway but not yet recorded and
    part not yet sent: the fresh worker sends the unsent once, and finds the unrecorded by
    their reference. Both share one send bucket."""
    use_broker(project_app, redis_server.url)
    settings.NUDGE_LEASE_SECONDS = 2
    env = {
        "MESSAGE_GATEWAY": "tests.nudges.slow_gateway.SlowGateway",
        "NUDGE_LEASE_SECONDS": "2",
        "NUDGE_SEND_RATE_PER_MINUTE": "6000",
        "NUDGE_SEND_BURST": "50",
        "NUDGE_RATE_LIMIT_REDIS_URL": redis_server.url,
        "NUDGE_SEND_BUCKET_KEY": f"bucket-{uuid.uuid4()}",
    }

    def worker(name):
        return Worker(
            name=name,
            database_url=database_url(connection.settings_dict),
            broker_url=redis_server.url,
            log_dir=tmp_path,
            settings_module=os.environ["DJANGO_SETTINGS_MODULE"],
            env=env,
        )

    ids = [n.pk for n in due_nudges(150, clinician=clinician)]
    mine = Nudge.objects.filter(pk__in=ids)
    references = [str(pk) for pk in ids]
    # Still `sending`, though the gateway holds the message: sent, not yet recorded.
    unrecorded = (
        mine.filter(status=N.SENDING)
        .annotate(reference=Cast("id", CharField()))
        .filter(reference__in=StoredMessage.objects.values("reference"))
    )
    started = []
    try:
        doomed = worker("doomed").start().wait_ready(project_app)
        started.append(doomed)
        assert tasks.dispatch_due_nudges() == 150

        doomed.caught(lambda: mine.filter(status=N.SENT).count() >= 10 and unrecorded.exists())
        doomed.kill()
        interrupted = set(unrecorded.values_list("reference", flat=True))
        assert interrupted
        assert mine.filter(status=N.SENDING).count() > len(interrupted)  # some not yet sent

        started.append(worker("fresh").start().wait_ready(project_app))

        def all_sent():
            tasks.dispatch_due_nudges()  # as beat would, every minute; here every half second
            return mine.filter(status=N.SENT).count() == 150

        wait_until(all_sent, timeout=90, interval=0.5)
    finally:
        for each in started:
            each.kill()
        use_broker(project_app, None)
    assert sends_per_reference(ids) == Counter({reference: 1 for reference in references})
    found = dict(mine.filter(pk__in=list(interrupted)).values_list("pk", "gateway_id"))
    stored = dict(
        StoredMessage.objects.filter(reference__in=interrupted).values_list("reference", "id")
    )
    assert {str(pk): gateway_id for pk, gateway_id in found.items()} == {
        reference: str(message_id) for reference, message_id in stored.items()
    }
