"""The outbox's promises, against a real Redis and real Celery workers in subprocesses:
each nudge goes out once, a lost broker or a killed worker loses nothing, and a withdrawn
referral's nudges never go out.

Each test gets its own redis-server on a free port (so a stopped broker, or a dead worker's
unacknowledged messages, touch nobody else), and its workers use the test database.
"""

import os
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from functools import partial

import pytest
import time_machine
from django.db import connection, transaction
from django.db.models import CharField, Count
from django.db.models.functions import Cast
from django.utils import timezone

from referrals.nudges import delivery, tasks
from referrals.nudges.models import Nudge
from referrals.pathway import services
from talkingmoves.celery import app as project_app
from talkingmoves.notify.gateway import LocalGateway
from talkingmoves.notify.models import StoredMessage
from tests.referrals.factories import ReferralFactory

from .workers import RedisServer, Worker, database_url, due_nudges, use_broker, wait_until

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

N = Nudge.Status
SLOW = "tests.nudges.slow_gateway.SlowGateway"
UNSURE = "tests.nudges.slow_gateway.UnsureGateway"


@pytest.fixture
def redis_server():
    server = RedisServer().start()
    use_broker(project_app, server.url)
    yield server
    use_broker(project_app, None)
    server.stop()


@pytest.fixture
def workers(transactional_db, redis_server, tmp_path):
    """Start workers with `workers(name, env=...)`; all are gone before the database is
    flushed."""
    started = []

    def start(name, *, env=None, ready=True):
        worker = Worker(
            name=name,
            database_url=database_url(connection.settings_dict),
            broker_url=redis_server.url,
            log_dir=tmp_path,
            settings_module=os.environ["DJANGO_SETTINGS_MODULE"],
            env=env,
        )
        started.append(worker)
        worker.start()
        if ready:
            worker.wait_ready(project_app)
        return worker

    yield start
    # The test is over and nothing is left to finish: killing is as good as a warm shutdown
    # (which takes a few seconds per worker) and much quicker.
    for worker in started:
        worker.kill()


def sends_per_reference(nudge_ids) -> dict:
    references = [str(pk) for pk in nudge_ids]
    return dict(
        StoredMessage.objects.filter(reference__in=references)
        .values_list("reference")
        .annotate(n=Count("id"))
    )


def statuses(nudge_ids) -> Counter:
    return Counter(Nudge.objects.filter(pk__in=nudge_ids).values_list("status", flat=True))


def wait_all_sent(nudge_ids, *, timeout: float, dispatch: bool = False):
    def done():
        if dispatch:  # as beat would, every minute; here every half second
            tasks.dispatch_due_nudges()
        return statuses(nudge_ids)[N.SENT] == len(nudge_ids)

    wait_until(
        done, timeout=timeout, interval=0.5, message=lambda: f"all sent: {statuses(nudge_ids)}"
    )


def assert_each_sent_once(nudge_ids):
    counts = sends_per_reference(nudge_ids)
    assert set(counts) == {str(pk) for pk in nudge_ids}, "some nudges never reached the gateway"
    assert Counter(counts.values()) == {1: len(nudge_ids)}, "some nudges were sent twice"
    assert statuses(nudge_ids) == {N.SENT: len(nudge_ids)}


def at_the_gateway_but_sending():
    """Nudges still `sending` whose message the (local) gateway already holds."""
    return (
        Nudge.objects.filter(status=N.SENDING)
        .annotate(reference=Cast("id", CharField()))
        .filter(reference__in=StoredMessage.objects.values("reference"))
    )


def _in_thread(func):
    try:
        return func()
    finally:
        connection.close()


def test_a_thousand_due_at_once_are_each_sent_once_by_two_workers(clinician, workers, monkeypatch):
    ids = [n.pk for n in due_nudges(1000, clinician=clinician)]
    started = [workers("one", ready=False), workers("two", ready=False)]
    for worker in started:
        worker.wait_ready(project_app)
    # Batches of 50, so the two dispatchers' claims interleave rather than one taking all.
    monkeypatch.setattr(delivery, "CLAIM_BATCH", 50)
    monkeypatch.setattr(delivery, "claim_due", partial(delivery.claim_due, limit=50))
    barrier = threading.Barrier(2)

    def dispatch():
        barrier.wait()
        return tasks.dispatch_due_nudges()

    with ThreadPoolExecutor(2) as pool:
        queued = list(pool.map(lambda _: _in_thread(dispatch), range(2)))

    assert sum(queued) == 1000, queued  # every nudge claimed and queued by exactly one
    wait_all_sent(ids, timeout=90)
    assert_each_sent_once(ids)


def test_two_dispatchers_claim_disjoint_sets(clinician):
    ids = {n.pk for n in due_nudges(400, clinician=clinician)}
    barrier = threading.Barrier(2)

    def claim_everything():
        claimed = []
        barrier.wait()
        while batch := delivery.claim_due(limit=10):
            claimed.extend(batch)
        return claimed

    with ThreadPoolExecutor(2) as pool:
        first, second = pool.map(lambda _: _in_thread(claim_everything), range(2))

    assert first and second, "the dispatchers did not overlap"
    assert not set(first) & set(second)
    assert len(first) + len(second) == 400
    assert set(first) | set(second) == ids
    assert statuses(ids) == {N.SENDING: 400}


def test_with_redis_down_referrals_still_work_and_no_nudge_is_lost(
    clinician, person, activity, redis_server, workers
):
    ids = [n.pk for n in due_nudges(300, clinician=clinician)]
    redis_server.stop()

    # The web path never touches the broker: a referral is made and sent as usual.
    referral = services.referral_create(
        service_user=person, activity=activity, kind="refer", by=clinician
    )
    referral = services.referral_send(referral=referral, by=clinician)
    assert referral.status == "sent"
    ids += Nudge.objects.filter(referral=referral, due_at__lte=timezone.now()).values_list(
        "pk", flat=True
    )
    assert len(ids) > 300, "sending the referral scheduled nothing due now"

    # The dispatcher cannot queue: it puts its claims back.
    assert tasks.dispatch_due_nudges() == 0
    assert statuses(ids) == {N.SCHEDULED: len(ids)}
    assert not sends_per_reference(ids)

    redis_server.start()
    workers("after")
    assert tasks.dispatch_due_nudges() == len(ids)
    wait_all_sent(ids, timeout=60)
    assert_each_sent_once(ids)


def test_a_worker_killed_mid_batch_loses_nothing_and_sends_nothing_twice(
    clinician, workers, settings
):
    settings.NUDGE_LEASE_SECONDS = 2
    env = {"MESSAGE_GATEWAY": SLOW, "NUDGE_LEASE_SECONDS": "2"}
    ids = [n.pk for n in due_nudges(200, clinician=clinician)]
    doomed = workers("doomed", env=env)
    assert tasks.dispatch_due_nudges() == 200
    # Kill it with some sent and one caught between the gateway call and marking it sent.
    wait_until(
        lambda: statuses(ids)[N.SENT] >= 20 and at_the_gateway_but_sending().exists(),
        timeout=60,
        interval=0.01,
    )
    doomed.kill()
    at_kill = statuses(ids)
    assert 0 < at_kill[N.SENT] < 200, at_kill
    # reference -> the message the gateway holds for it
    interrupted = {
        reference: str(message_id)
        for reference, message_id in StoredMessage.objects.filter(
            reference__in=at_the_gateway_but_sending().values("reference")
        ).values_list("reference", "id")
    }
    assert interrupted

    # A fresh worker takes the queued rest; the dispatcher hands out the dead worker's
    # nudges again once their lease has run out.
    workers("fresh", env=env)
    wait_all_sent(ids, timeout=90, dispatch=True)
    assert_each_sent_once(ids)
    # Those were found at the gateway by their reference, not sent again.
    found = Nudge.objects.filter(pk__in=list(interrupted)).values_list("pk", "gateway_id")
    assert {str(pk): gateway_id for pk, gateway_id in found} == interrupted


def _interrupted_after_the_gateway_call(nudge) -> StoredMessage:
    """A nudge whose worker reached the gateway, then died before marking it sent."""
    LocalGateway().send_email(
        to=nudge.service_user.email,
        template="nudge_email",
        personalisation={"subject": "s", "body": "b"},
        reference=str(nudge.pk),
    )
    long_ago = timezone.now() - timedelta(hours=1)
    Nudge.objects.filter(pk=nudge.pk).update(
        status=N.SENDING, attempts=1, claimed_at=long_ago, lease_until=long_ago
    )
    return StoredMessage.objects.get(reference=str(nudge.pk))


def test_a_send_interrupted_after_the_gateway_call_is_found_by_reference(clinician, workers):
    [nudge] = due_nudges(1, clinician=clinician)
    earlier = _interrupted_after_the_gateway_call(nudge)
    workers("w")
    assert tasks.dispatch_due_nudges() == 1
    wait_all_sent([nudge.pk], timeout=30)
    nudge.refresh_from_db()
    assert nudge.gateway_id == str(earlier.id)
    assert not nudge.possible_duplicate
    assert sends_per_reference([nudge.pk]) == {str(nudge.pk): 1}


def test_a_resend_the_gateway_cannot_vouch_for_is_marked_possible_duplicate(clinician, workers):
    [nudge] = due_nudges(1, clinician=clinician)
    _interrupted_after_the_gateway_call(nudge)
    workers("w", env={"MESSAGE_GATEWAY": UNSURE})
    assert tasks.dispatch_due_nudges() == 1
    wait_all_sent([nudge.pk], timeout=30)
    nudge.refresh_from_db()
    assert nudge.possible_duplicate
    assert nudge.attempts == 2
    assert sends_per_reference([nudge.pk]) == {str(nudge.pk): 2}


def test_a_send_interrupted_after_the_gateway_call_stays_sent_when_the_referral_ends(
    clinician, sent_referral, workers
):
    """It went out before the withdrawal: the row says so (and so can later be marked
    delivered by the gateway's callback), rather than "skipped"."""
    referral = sent_referral
    nudge = Nudge.objects.get(referral=referral, template="referral_details")
    earlier = _interrupted_after_the_gateway_call(nudge)
    services.referral_move(referral=referral, to="withdrawn", by=clinician, expected_from="sent")
    workers("w")
    tasks.dispatch_due_nudges()
    wait_until(
        lambda: Nudge.objects.filter(pk=nudge.pk).exclude(status=N.SENDING).exists(),
        timeout=30,
        message="the interrupted nudge to be finished",
    )
    nudge.refresh_from_db()
    assert (nudge.status, nudge.gateway_id) == (N.SENT, str(earlier.id))
    assert sends_per_reference([nudge.pk]) == {str(nudge.pk): 1}


def test_a_withdrawn_referrals_nudges_are_cancelled_and_never_sent(
    clinician, sent_referral, activity, workers
):
    referral = sent_referral
    pending = set(
        Nudge.objects.filter(referral=referral, status=N.SCHEDULED).values_list("pk", flat=True)
    )
    assert len(pending) > 3
    # One was claimed by the dispatcher just before the withdrawal lands.
    in_flight = Nudge.objects.filter(pk__in=pending).order_by("due_at").first().pk
    Nudge.objects.filter(pk=in_flight).update(status=N.SENDING, claimed_at=timezone.now())
    pending.discard(in_flight)

    # The cancellations are part of the withdrawal's transaction: rolled back with it ...
    with pytest.raises(RuntimeError), transaction.atomic():
        services.referral_move(
            referral=referral, to="withdrawn", by=clinician, expected_from="sent"
        )
        assert statuses(pending) == {N.CANCELLED: len(pending)}
        raise RuntimeError("roll back")
    assert statuses(pending) == {N.SCHEDULED: len(pending)}
    # ... and committed with it.
    services.referral_move(referral=referral, to="withdrawn", by=clinician, expected_from="sent")
    assert statuses(pending) == {N.CANCELLED: len(pending)}

    # Another person's referral, not withdrawn, shows that dispatching does send.
    other = ReferralFactory(
        sent=True,
        activity=activity,
        service_user__service=clinician.organisation,
        service_user__assigned_clinician=clinician,
    )
    control = set(Nudge.objects.filter(referral=other).values_list("pk", flat=True))

    workers("w")
    # The claimed one's send task runs after the withdrawal: it checks, and does not send.
    tasks.send_nudge.delay(str(in_flight))
    wait_until(
        lambda: Nudge.objects.filter(pk=in_flight, status=N.SKIPPED).exists(),
        timeout=30,
        message="the in-flight nudge to be skipped",
    )
    with time_machine.travel(timezone.now() + timedelta(days=60)):
        queued = tasks.dispatch_due_nudges()
    assert queued == len(control)
    wait_until(
        lambda: not Nudge.objects.filter(status=N.SENDING).exists(),
        timeout=30,
        message="the worker to finish the batch",
    )

    assert sends_per_reference(control), "the control referral's nudges were not sent"
    assert not sends_per_reference([*pending, in_flight])
    assert statuses(pending) == {N.CANCELLED: len(pending)}
    skipped = Nudge.objects.get(pk=in_flight)
    assert (skipped.status, skipped.skip_reason) == (N.SKIPPED, Nudge.SkipReason.REFERRAL_ENDED)
