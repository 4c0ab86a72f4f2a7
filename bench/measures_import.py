"""Measures import apply timings: `python -m bench.measures_import` (DATABASE_URL names the
database; it is created and migrated if missing, and each run adds a throwaway service).

An iaptus-layout file of BENCH_MEASURE_ROWS rows (default 5,000), each a PHQ-9 and a GAD-7
for one person and date (so 10,000 measures), spread over BENCH_MEASURE_PEOPLE people (1,000)
with open episodes; one row in 50 answers question 9 above 0, so it raises a risk flag and
its alerts. Prints the check and apply times and the apply's queries per person-date.
Before the apply was batched (ADR 014): 5,000 rows 385 s, about 85 queries per person-date.
"""

import os
import sys
import time
from contextlib import contextmanager
from datetime import date, timedelta

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/talkingmoves_bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talkingmoves.settings.local")

ROWS = int(os.environ.get("BENCH_MEASURE_ROWS", "5000"))
PEOPLE = int(os.environ.get("BENCH_MEASURE_PEOPLE", "1000"))
REFERRED_ON = date(2026, 1, 5)


def nhs_numbers():
    """Valid (Modulus 11) NHS numbers, in order."""
    for n in range(400_000_000, 999_999_999):
        digits = [int(d) for d in f"{n:09d}"]
        check = 11 - sum(d * (10 - i) for i, d in enumerate(digits)) % 11
        if check == 11:
            check = 0
        if check != 10:
            yield f"{n:09d}{check}"


@contextmanager
def counted_queries():
    from django.db import connection

    count = [0]

    def wrapper(execute, sql, params, many, context):
        count[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield count


def _ensure_database():
    from urllib.parse import urlparse

    import psycopg

    url = urlparse(os.environ["DATABASE_URL"])
    admin = url._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        name = url.path.lstrip("/")
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def _service_with_people(people: int):
    from tests.factories import (
        ClinicianFactory,
        ServiceLeadFactory,
        TalkingTherapiesServiceFactory,
        with_duty_contact,
    )
    from tests.outcomes.factories import EpisodeFactory
    from tests.referrals.factories import ServiceUserFactory

    service = TalkingTherapiesServiceFactory(name=f"Measures import bench {time.time()}")
    lead = ServiceLeadFactory(organisation=service, email=f"lead.{service.pk}@example.nhs.uk")
    clinician = ClinicianFactory(organisation=service, email=f"clin.{service.pk}@example.nhs.uk")
    with_duty_contact(service, "duty@example.nhs.uk")
    numbers = []
    for nhs in nhs_numbers():
        person = ServiceUserFactory(service=service, assigned_clinician=clinician, nhs_number=nhs)
        EpisodeFactory(service_user=person, referral_received_on=REFERRED_ON)
        numbers.append(nhs)
        if len(numbers) == people:
            break
    return service, lead, numbers


def _file(numbers: list[str], rows: int) -> bytes:
    from tests.outcomes.measures_import.support import iaptus, row

    lines = []
    for n in range(rows):
        on = REFERRED_ON + timedelta(days=7 * (1 + n // len(numbers)))
        flagged = n % 50 == 0
        phq9 = ["1"] * 8 + (["2"] if flagged else ["0"])
        lines.append(
            row(nhs=numbers[n % len(numbers)], on=f"{on:%d/%m/%Y}", phq9=phq9, gad7=["1"] * 7)
        )
    return iaptus(lines)


def main() -> None:
    _ensure_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from outcomes.measures_import import read_upload
    from outcomes.measures_import.applying import apply_checked
    from outcomes.measures_import.checking import check_records

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    service, lead, numbers = _service_with_people(min(PEOPLE, ROWS))
    print(f"{len(numbers)} people with open episodes in {time.perf_counter() - started:.0f} s")
    data = _file(numbers, ROWS)
    start = time.perf_counter()
    read = read_upload(data, filename="bench.csv")
    checked = check_records(read.records, service=service, found=read.errors)
    check_s = time.perf_counter() - start
    assert not checked.errors, checked.errors[:3]
    person_dates = len({(v.episode_id, v.taken_on) for v in checked.valid})
    with counted_queries() as queries, transaction.atomic():  # as the apply job runs it
        start = time.perf_counter()
        applied = apply_checked(checked, by=lead)
        apply_s = time.perf_counter() - start
    assert not applied.refused and not applied.errors, applied.errors[:3]
    print(
        f"{ROWS} rows, {applied.measures} measures, {applied.risk_flags} risk flags: "
        f"check {check_s:.1f} s, apply {apply_s:.1f} s "
        f"({apply_s / person_dates * 1000:.1f} ms and "
        f"{queries[0] / person_dates:.1f} queries per person-date, {queries[0]} in all)"
    )


if __name__ == "__main__":
    sys.exit(main())
