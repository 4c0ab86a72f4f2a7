"""Nudge outbox timings: `python -m bench.nudges` (also run by `make bench`).

1. Dispatch throughput: 2,000 nudges due at once (one each to service users who consent to
   email), the local gateway, one Celery worker at its default concurrency (one process per
   CPU) and a private redis-server; timed from dispatch until every row is `sent`.
2. The dispatcher's query: 1,000,000 nudge rows (seeded once with COPY), 1,000 of them due;
   `claim_due()` timed inside rolled-back transactions, with its EXPLAIN.

3. The morning burst: 20,000 messages released at 08:00 through the real Redis token bucket
   on a simulated clock (BENCH_ONLY=burst runs only this).

Throughput is measured with the send rate limit lifted (NUDGE_SEND_RATE_PER_MINUTE=0 in the
worker): it is what one worker can do, the burst is what the gateway's limit allows.

Then, with 500 nudges each, where the time goes: each pool process reserving 8 tasks instead
of one; 8 pool processes instead of one per CPU. Skip these with BENCH_VARIANTS=0.

Uses its own database (talkingmoves_bench_nudges), so it needs no other seed. The worker runs
with the test settings (DEBUG off, as in production: the local settings' DEBUG keeps every
query in memory). Numbers depend on the machine: reported, never asserted.
"""

import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta

# Its own database: the dispatcher claims every due nudge it finds, so it must not share one
# with the other benchmarks (or anything else that schedules nudges).
os.environ.setdefault(
    "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/talkingmoves_bench_nudges"
)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talkingmoves.settings.local")

THROUGHPUT_NUDGES = int(os.environ.get("BENCH_NUDGES", "2000"))
ROWS = int(os.environ.get("BENCH_NUDGE_ROWS", "1000000"))
DUE = 1000
CLAIM_RUNS = int(os.environ.get("BENCH_CLAIM_RUNS", "50"))
PEOPLE = 10_000
THROUGHPUT_SERVICE = "Nudge throughput bench"
OUTBOX_SERVICE = "Nudge outbox bench"
# The rows made due for the dispatcher benchmark, and a year ahead again afterwards.
DUE_MARKER = "/bench/due-soon/"


def _service_and_clinician(name: str):
    from talkingmoves.accounts.models import Organisation, Role, User
    from tests.factories import with_duty_contact

    service, _ = Organisation.objects.get_or_create(name=name, kind="talking_therapies")
    # Only a service with a duty contact for risk alerts messages its service users.
    with_duty_contact(service)
    email = f"clinician@{service.pk}.nudge-bench.example.nhs.uk"
    clinician = User.objects.filter(email=email).first() or User.objects.create_user(
        email, "x" * 20, full_name="Bench Clinician", role=Role.CLINICIAN, organisation=service
    )
    return service, clinician


def _percentile(samples, fraction):
    ordered = sorted(samples)
    return ordered[max(0, round(fraction * len(ordered)) - 1)]


# --- 1. Throughput -------------------------------------------------------------------------


def _cpu_seconds(pids) -> float:
    """User + system CPU of these processes so far (Linux /proc; 0 for any that are gone)."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def _process_group(pgid: int) -> list:
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    if int(stat.read().rsplit(")", 1)[1].split()[2]) == pgid:
                        pids.append(int(entry))
            except OSError:
                continue
    return pids


def _worker_backends() -> list:
    """The PostgreSQL backends of everyone else connected to this database."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
        )
        return [row[0] for row in cursor.fetchall()]


def _clear_throughput_rows(service) -> None:
    from referrals.models import ServiceUser
    from referrals.nudges.models import Nudge
    from talkingmoves.notify.models import StoredMessage

    references = [
        str(pk) for pk in Nudge.objects.filter(service=service).values_list("pk", flat=True)
    ]
    StoredMessage.objects.filter(reference__in=references).delete()
    Nudge.objects.filter(service=service).delete()
    ServiceUser.objects.filter(service=service).delete()


def deliver_profile(sample: int = 200) -> None:
    """The send tasks' work in this process, without Celery, committing as a worker does:
    send_batch() over batches of SEND_BATCH, then deliver() one at a time (a batch of one):
    queries and time per nudge."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from referrals.nudges import delivery, sending
    from referrals.nudges.models import Nudge
    from referrals.nudges.tasks import SEND_BATCH
    from tests.nudges.workers import due_nudges

    service, clinician = _service_and_clinician(THROUGHPUT_SERVICE)
    for label, size in ((f"send_batch() of {SEND_BATCH}", SEND_BATCH), ("deliver() one by one", 1)):
        _clear_throughput_rows(service)
        ids = [n.pk for n in due_nudges(sample, clinician=clinician)]
        Nudge.objects.filter(pk__in=ids).update(status="sending", claimed_at=time_now())
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            for first in range(0, sample, size):
                batch = ids[first : first + size]
                if size == 1:
                    outcomes = {"one": delivery.deliver(batch[0])}
                else:
                    outcomes = sending.send_batch(batch)
                assert set(outcomes.values()) == {"sent"}, outcomes
            elapsed = time.perf_counter() - start
        per_nudge = len(queries.captured_queries) / sample
        print(
            f"{label} in this process, no Celery: {per_nudge:.2f} queries per nudge, "
            f"{elapsed / sample * 1000:.2f} ms per nudge ({sample} nudges)"
        )
        if os.environ.get("BENCH_SHOW_QUERIES"):
            for query in queries.captured_queries[: round(per_nudge * size) + 2]:
                print(f"  {query['time']}s  {query['sql'][:150]}")
    _clear_throughput_rows(service)


def throughput(
    count: int = THROUGHPUT_NUDGES,
    *,
    settings_module: str = "talkingmoves.settings.test",
    label: str = "as configured",
    concurrency: int | None = None,
    database_options: str = "",
) -> float:
    from django.db import connection

    from referrals.nudges.models import Nudge
    from referrals.nudges.tasks import SEND_BATCH, dispatch_due_nudges
    from talkingmoves.celery import app
    from tests.nudges.workers import (
        RedisServer,
        Worker,
        database_url,
        due_nudges,
        use_broker,
        wait_until,
    )

    service, clinician = _service_and_clinician(THROUGHPUT_SERVICE)
    _clear_throughput_rows(service)
    _park_due_rows()
    due_nudges(count, clinician=clinician)
    others = Nudge.objects.filter(status="scheduled", due_at__lte=time_now()).exclude(
        service=service
    )
    if others.exists():
        print(f"note: {others.count()} other due nudges in the database will be sent too")

    redis = RedisServer().start()
    use_broker(app, redis.url)
    worker = Worker(
        name="nudge-bench",
        database_url=database_url(connection.settings_dict) + database_options,
        broker_url=redis.url,
        log_dir=tempfile.mkdtemp(prefix="nudge-bench-"),
        concurrency=concurrency,  # None: the default, one process per CPU
        settings_module=settings_module,
        # The limit lifted: this measures what one worker can do, not the gateway's pace.
        env={"MESSAGE_GATEWAY": "", "NUDGE_SEND_RATE_PER_MINUTE": "0"},
    )
    mine = Nudge.objects.filter(service=service)
    try:
        worker.start().wait_ready(app)
        worker_cpu = _cpu_seconds(_process_group(worker.process.pid))
        start = time.perf_counter()
        queued = dispatch_due_nudges()
        dispatched = time.perf_counter()
        wait_until(
            lambda: mine.filter(status="sent").count() == count,
            timeout=max(60, count / 10),
            interval=0.02,
            message="all bench nudges sent",
        )
        finished = time.perf_counter()
        worker_cpu = _cpu_seconds(_process_group(worker.process.pid)) - worker_cpu
        # Only meaningful when the worker keeps its connections (its backends live on).
        backend_cpu = _cpu_seconds(_worker_backends())
    finally:
        worker.stop()
        use_broker(app, None)
        redis.stop()
    rate = count / (finished - start)
    print(
        f"dispatch throughput ({label}, rate limit lifted): {count} nudges, 1 worker (concurrency "
        f"{concurrency or os.cpu_count()}), local gateway, Redis, send tasks of "
        f"{SEND_BATCH} sent as one batch each: claimed and queued {queued} in "
        f"{dispatched - start:.2f} s, all sent after {finished - start:.2f} s "
        f"= {rate:.0f} nudges/s"
    )
    print(
        f"  CPU per nudge: worker {worker_cpu / count * 1000:.1f} ms"
        + (
            f", its PostgreSQL backends {backend_cpu / count * 1000:.1f} ms"
            if "nudge_worker_settings" in settings_module
            else " (its PostgreSQL backends: one per task, not measured)"
        )
    )
    _clear_throughput_rows(service)
    return rate


def time_now():
    from django.utils import timezone

    return timezone.now()


# --- 2. The dispatcher's query on a big outbox ----------------------------------------------


def ensure_outbox_seeded(rows: int = ROWS) -> None:
    """`rows` nudges over the years: mostly sent, delivered or cancelled, some skipped, 5%
    scheduled over the next two months, and DUE more scheduled a year ahead (the ones the
    benchmark makes due)."""
    import random
    import uuid

    from django.db import connection, transaction

    from bench.copy_rows import fact_triggers_off
    from referrals.models import ServiceUser
    from referrals.nudges.models import Nudge

    service, clinician = _service_and_clinician(OUTBOX_SERVICE)
    if Nudge.objects.filter(service=service).count() >= rows:
        return
    print(f"Seeding {rows:,} nudges (once) ...", flush=True)
    started = time.perf_counter()
    rng = random.Random(11)
    now = time_now()
    # The day facts' triggers (ADR 018) recount a service's day for every row written: with
    # them on, this COPY ran for over 20 minutes. Only the dispatcher is timed here, which
    # reads the outbox, not the facts; a day the benchmark touches is recounted by them then.
    with fact_triggers_off(), transaction.atomic():
        Nudge.objects.filter(service=service).delete()
        ServiceUser.objects.filter(service=service).delete()
        people = ServiceUser.objects.bulk_create(
            (
                ServiceUser(
                    service=service,
                    assigned_clinician=clinician,
                    given_name=f"Given{n}",
                    family_name=f"Family{n}",
                    email=f"outbox{n}@example.com",
                    consent_email_at=now,
                    consent_email_by=clinician,
                )
                for n in range(PEOPLE)
            ),
            batch_size=5000,
        )
        person_ids = [p.pk for p in people]
        table = Nudge._meta.db_table
        columns = (
            "id, service_id, audience, template, service_user_id, recipient_email, link_path, "
            "due_at, status, channel, sent_to, attempts, last_error, skip_reason, "
            "deferred_reason, possible_duplicate, sent_at, gateway_id, created_at, updated_at"
        )
        templates = ["referral_details", "did_you_go", "check_in", "follow_up"]
        with (
            connection.cursor() as cursor,
            cursor.connection.cursor().copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
        ):
            for n in range(rows):
                person = person_ids[n % PEOPLE]
                roll = rng.random()
                link = ""
                sent_at = None
                skip = ""
                channel = ""
                if n < DUE:
                    status, due = "scheduled", now + timedelta(days=365, minutes=n)
                    link = DUE_MARKER
                elif roll < 0.05:
                    status, due = "scheduled", now + timedelta(minutes=rng.randint(5, 60 * 24 * 60))
                else:
                    due = now - timedelta(minutes=rng.randint(10, 60 * 24 * 900))
                    if roll < 0.13:
                        status = "cancelled"
                    elif roll < 0.15:
                        status, skip = "skipped", "no_consent"
                    else:
                        status = "delivered" if roll < 0.6 else "sent"
                        sent_at, channel = due, "email"
                copy.write_row(
                    (
                        uuid.UUID(int=rng.getrandbits(128), version=4),
                        service.pk,
                        "service_user",
                        templates[n % len(templates)],
                        person,
                        "",
                        link,
                        due,
                        status,
                        channel,
                        f"outbox{n % PEOPLE}@example.com" if channel else "",
                        1 if sent_at else 0,
                        "",
                        skip,
                        "",
                        False,
                        sent_at,
                        "",
                        due - timedelta(days=7),
                        due,
                    )
                )
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {Nudge._meta.db_table}")
    print(f"  seeded in {time.perf_counter() - started:.0f} s", flush=True)


def _park_due_rows() -> int:
    """Put the marked rows back a year ahead (also after an interrupted run)."""
    from referrals.nudges.models import Nudge

    return Nudge.objects.filter(link_path=DUE_MARKER, status="scheduled").update(
        due_at=time_now() + timedelta(days=365)
    )


def dispatcher_query(runs: int = CLAIM_RUNS) -> None:
    from django.db import connection, transaction

    from referrals.nudges import delivery
    from referrals.nudges.models import Nudge

    now = time_now()
    total = Nudge.objects.count()
    due = (
        Nudge.objects.filter(status="scheduled", due_at__lte=now)
        .order_by("due_at")
        .select_for_update(skip_locked=True)
        .values_list("id", flat=True)[: delivery.CLAIM_BATCH]
    )
    # The marked rows are due only while this runs; each timing is its own transaction,
    # rolled back, so every run starts from the same 1,000 due rows.
    # Anything else left due (a deferred send from the throughput run) would be claimed too.
    Nudge.objects.filter(status="scheduled", due_at__lte=now).exclude(link_path=DUE_MARKER).update(
        status="cancelled"
    )
    made_due = Nudge.objects.filter(link_path=DUE_MARKER, status="scheduled").update(
        due_at=now - timedelta(minutes=5)
    )
    try:
        due_now = Nudge.objects.filter(status="scheduled", due_at__lte=now).count()
        with transaction.atomic(), connection.cursor() as cursor:
            sql, params = due.query.sql_with_params()
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) {sql}", params)
            plan = [row[0] for row in cursor.fetchall()]
            transaction.set_rollback(True)
        query_samples, claim_samples = [], []
        for attempt in range(runs + 1):
            with transaction.atomic():
                start = time.perf_counter()
                selected = list(due.all())
                query_ms = (time.perf_counter() - start) * 1000
                transaction.set_rollback(True)
            with transaction.atomic():
                start = time.perf_counter()
                claimed = delivery.claim_due(now=now)
                claim_ms = (time.perf_counter() - start) * 1000
                transaction.set_rollback(True)
            assert len(selected) == len(claimed) == due_now, (len(claimed), due_now)
            if attempt:  # the first warms caches
                query_samples.append(query_ms)
                claim_samples.append(claim_ms)
    finally:
        _park_due_rows()
    print(f"dispatcher with {total:,} nudge rows, {due_now} due ({made_due} made due), n={runs}:")
    for label, samples in (
        ("its query (select ... for update skip locked limit 1000)", query_samples),
        ("claim_due() (that query + marking the 1,000 sending)", claim_samples),
    ):
        print(
            f"  {label:<58} median {statistics.median(samples):6.1f} ms   "
            f"p95 {_percentile(samples, 0.95):6.1f} ms"
        )
    print("EXPLAIN ANALYZE of its query:")
    for line in plan:
        print(f"  {line}")
    if not any("nudge_due" in line for line in plan):
        print("WARNING: the partial index nudge_due was not used")


def main() -> int:
    from bench.__main__ import _ensure_database

    _ensure_database()
    import django

    django.setup()
    import logging

    from django.core.management import call_command

    # The in-process timings send hundreds of messages through the local gateway, which logs
    # each one: a line per message would bury the figures.
    logging.getLogger("talkingmoves.notify.gateway").setLevel(logging.WARNING)
    call_command("migrate", verbosity=0)
    only = os.environ.get("BENCH_ONLY", "")
    if only in ("", "burst"):
        from bench.nudge_burst import burst_drain

        burst_drain()
    if only in ("", "throughput"):
        print(f"load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        deliver_profile()
        throughput()
        if os.environ.get("BENCH_VARIANTS", "1") != "0":
            variant = "bench.nudge_worker_settings"
            throughput(500, settings_module=variant, label="prefetch 8 per process")
            throughput(500, concurrency=8, label="8 pool processes")
        print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    if only in ("", "dispatcher"):
        ensure_outbox_seeded()
        dispatcher_query()
    return 0


if __name__ == "__main__":
    sys.exit(main())
