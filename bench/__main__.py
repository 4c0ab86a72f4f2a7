"""Benchmarks on a seeded large data set: `make bench`.

Seeds (once) 20,000 activities at 4,000 venues across England and 43 Active Partnerships,
100,000 service users with 300,000 referrals and 1,000,000 measures into a separate
PostgreSQL database (BENCH_SIZE=large: 110,000 activities and 1,000,000 service users, in
another database; bench/size.py), then times every main page of every role through
Django's test client (the whole request: middleware, ORM, templates) with production-like
settings (talkingmoves/settings/bench.py) and prints, after a line saying how fast the machine
is (bench/machine.py: runs on different machines compare only through it), one line per page:

    <page>  page median <ms> p95 <ms>  sql <ms>  queries <n>  ratio <page/sql>
        cpu <ms>  outside p95 <ms>

where sql is the time of replaying that request's own statements on the same data in the
same run (bench/measure.py), cpu this process's CPU for the request, and outside p95 the
p95 of each run's page time less its own SQL. BENCH_RUNS sets the runs per page (default
30). Not a test: numbers depend on the machine, so they are reported, never asserted.
`python -m bench seed` seeds and stops. BENCH_SEED=directory (comma-separated names of
directory, referrals, outcomes) seeds only those parts, and BENCH_GROUPS=search (or directory,
referrals, outcomes) times only those pages: the search figure at BENCH_SIZE=large needs the
110,000 activities but not the million service users, which take most of an hour to seed.
"""

import os
import sys
import time

from bench import size
from bench.copy_rows import fact_triggers_off

os.environ.setdefault("DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{size.database_name()}")
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/14")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talkingmoves.settings.bench")


def _ensure_database():
    from urllib.parse import urlparse

    import psycopg

    url = urlparse(os.environ["DATABASE_URL"])
    name = url.path.lstrip("/")
    admin = url._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def seed() -> None:
    from bench import seed as directory
    from bench import seed_outcomes, seed_referrals

    print(f"Data set: {size.label()} ({os.environ['DATABASE_URL'].rsplit('/', 1)[1]})")
    parts = {"directory": directory, "referrals": seed_referrals, "outcomes": seed_outcomes}
    chosen = _chosen("BENCH_SEED", parts)
    for name, module in parts.items():
        if name not in chosen:
            continue
        start = time.perf_counter()
        if name == "directory":
            module.ensure_seeded()
        else:
            with fact_triggers_off():
                module.ensure_seeded()
        print(f"  {name} seeded or checked in {time.perf_counter() - start:.0f} s", flush=True)
    if {"referrals", "outcomes"} & set(chosen):
        start = time.perf_counter()
        drift = _rebuild_facts()
        print(f"  facts rebuilt in {time.perf_counter() - start:.0f} s ({drift} rows)", flush=True)
    for name in chosen:
        print(parts[name].describe())


def _rebuild_facts() -> int:
    from outcomes.dashboards.tasks import reconcile_day_facts

    _fill_referral_facts()
    drift = reconcile_day_facts()
    return sum(sum(services.values()) for services in drift.values())


def _fill_referral_facts() -> None:
    """A freshly seeded database has no referral copies (ADR 021): copy them all and count
    their months in two statements, as migration 0015 fills them. The reconcile's batches
    of 500 (built for a live database, where writers share the buckets) took 33 minutes for
    300,000 referrals; nothing else writes to the bench while it seeds. The reconcile that
    follows checks the result."""
    from django.db import connection, transaction

    from outcomes.models.referral_facts import MONTH_COUNTS
    from outcomes.services.referral_facts import COPY_COLUMNS, EVERY_DAY

    months = f"service_id, month, activity_id, {', '.join(MONTH_COUNTS)}"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT EXISTS (SELECT 1 FROM outcomes_referralfact)")
        if cursor.fetchone()[0]:
            return
        cursor.execute("DELETE FROM outcomes_referralmonthfact")
        cursor.execute(
            f"INSERT INTO outcomes_referralfact ({COPY_COLUMNS}) SELECT c.* FROM"
            " (SELECT DISTINCT service_id FROM referrals_referral) s,"
            " outcomes_referral_service_copies(s.service_id) c"
        )
        cursor.execute(
            f"INSERT INTO outcomes_referralmonthfact ({months}) SELECT s.service_id, c.* FROM"
            " (SELECT DISTINCT service_id FROM outcomes_referralfact) s,"
            " outcomes_referral_month_counts(s.service_id, %s, %s) c",
            list(EVERY_DAY),
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE outcomes_referralfact")
        cursor.execute("ANALYZE outcomes_referralmonthfact")


def _chosen(variable: str, names, default=None) -> list[str]:
    """The names listed in the environment variable (comma-separated), or the default (all)."""
    wanted = [n.strip() for n in os.environ.get(variable, "").split(",") if n.strip()]
    unknown = set(wanted) - set(names)
    if unknown:
        raise SystemExit(f"{variable} takes {', '.join(names)}, not {', '.join(sorted(unknown))}")
    return wanted or list(default or names)


def main(argv: list[str]) -> int:
    _ensure_database()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    seed()
    if argv[1:] == ["seed"]:
        return 0
    import gc

    from bench import machine, outcome_pages, pages, referral_pages
    from bench.measure import RUNS

    gc.collect()
    gc.freeze()  # as talkingmoves/wsgi.py does after startup

    groups = {
        "search": pages.run_search,
        "directory": pages.run,
        "referrals": referral_pages.run,
        "outcomes": outcome_pages.run,
    }
    print(f"\n{machine.line()}")
    print(f"Pages (n={RUNS} each; BENCH_RUNS changes it), times in ms:")
    # The directory's pages include the search pages.
    for name in _chosen("BENCH_GROUPS", groups, default=["directory", "referrals", "outcomes"]):
        groups[name]()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
