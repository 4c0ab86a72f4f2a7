"""Import timings: `python -m bench.imports` (also run by `make bench`).

A 5,000-row spreadsheet into a throwaway partnership of the bench database, removed
afterwards: first the check and the import as functions, then the same file end to end as
the worker runs it (the check job, then the import job, through job_run). The import saves
in bulk (providers/bulk_services.py); before that it took 33 s on a quiet machine and 113 s
on a busy one (main at 76e4a3a), against 5 s here. The OpenActive equivalent is
`python -m providers.openactive.bench_feed --items 5000`.
"""

import os
import sys
import time

from bench import size

os.environ.setdefault("DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{size.database_name()}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talkingmoves.settings.bench")

ROWS = int(os.environ.get("BENCH_CSV_ROWS", "5000"))


def run_csv_import(rows: int = ROWS) -> None:
    from django.db import transaction

    from providers import csv_io
    from providers.models import Provider
    from talkingmoves.accounts.models import Organisation, Role, User
    from tests.providers.test_csv_support import csv_bytes, many_rows

    partnership = Organisation.objects.create(
        name=f"CSV bench {time.time()}", kind="active_partnership"
    )
    officer = User.objects.create_user(
        f"csv.bench.{partnership.pk}@example.org.uk",
        "x" * 20,
        full_name="CSV Bench",
        role=Role.PARTNERSHIP_STAFF,
        organisation=partnership,
    )
    data = csv_bytes(many_rows(rows))
    try:
        start = time.perf_counter()
        table = csv_io.read_table(data=data, filename="bench.csv")
        plan = csv_io.plan_import(table=table, user=officer)
        checked = time.perf_counter()
        csv_io.import_table(table=table, user=officer)
        imported = time.perf_counter()
        print(
            f"spreadsheet of {rows} rows ({len(data) / 1e6:.1f} MB): check {checked - start:.1f} s "
            f"({plan.summary(ignored_columns=[])['counts']['problems']} problems), "
            f"import {imported - checked:.1f} s"
        )
        _as_jobs(officer, many_rows(rows, first=rows))
    finally:
        from providers.models import Activity, ListingChange, Venue
        from talkingmoves.jobs.models import Job

        with transaction.atomic():
            Job.objects.filter(created_by=officer).delete()
            Activity.objects.filter(provider__partnership=partnership).delete()
            Venue.objects.filter(provider__partnership=partnership).delete()
            Provider.objects.filter(partnership=partnership).delete()
            ListingChange.objects.filter(actor=officer).delete()
            officer.delete()
            partnership.delete()


def _as_jobs(officer, rows) -> None:
    """The same size of file as a person sends it: upload (the check job), then import."""
    from providers import csv_io, jobs
    from talkingmoves.jobs import services
    from talkingmoves.jobs.services import job_run
    from tests.providers.test_csv_support import csv_bytes

    services._send = lambda job_id: None  # this process is the worker: send nothing

    table = csv_io.read_table(data=csv_bytes(rows), filename="bench.csv")
    start = time.perf_counter()
    check = jobs.csv_check_start(user=officer, filename="bench.csv", table=table)
    job_run(check.pk)
    check.refresh_from_db()
    checked = time.perf_counter()
    job = jobs.csv_import_start(check=check, user=officer, valid_rows_only=False)
    job_run(job.pk)
    job.refresh_from_db()
    done = time.perf_counter()
    print(
        f"as jobs, {len(rows)} more rows: check job {checked - start:.1f} s, import job "
        f"{done - checked:.1f} s ({job.state}, {job.result.get('new', 0)} added), "
        f"total {done - start:.1f} s"
    )


def main() -> int:
    import django

    django.setup()
    run_csv_import()
    return 0


if __name__ == "__main__":
    sys.exit(main())
