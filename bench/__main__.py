"""Benchmarks on a seeded large data set: `make bench`.

Seeds (once) 20,000 activities at 4,000 venues across England and 43 Active Partnerships
into a separate PostgreSQL database, then times pages through Django's test client (the
whole request: middleware, ORM, templates) and prints medians and p95s. Not a test: numbers
depend on the machine, so they are reported, never asserted.
"""

import os
import statistics
import sys
import time

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/talkingmoves_bench")
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/14")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talkingmoves.settings.local")

RUNS = int(os.environ.get("BENCH_RUNS", "60"))


def _ensure_database():
    from urllib.parse import urlparse

    import psycopg

    url = urlparse(os.environ["DATABASE_URL"])
    name = url.path.lstrip("/")
    admin = url._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def timed(label, func, runs=RUNS):
    func()  # warm up caches and connections
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    p95 = samples[max(0, round(0.95 * len(samples)) - 1)]
    print(
        f"{label:<58} median {statistics.median(samples):7.1f} ms   p95 {p95:7.1f} ms   (n={runs})"
    )
    return samples


def main() -> int:
    _ensure_database()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from bench import outcome_pages, pages, referral_pages, seed, seed_outcomes, seed_referrals

    seed.ensure_seeded()
    seed_referrals.ensure_seeded()
    seed_outcomes.ensure_seeded()
    print(seed.describe())
    print(seed_referrals.describe())
    print(seed_outcomes.describe())
    pages.run(timed)
    referral_pages.run(timed)
    outcome_pages.run(timed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
