"""Import timings: `python -m bench.imports` (also run by `make bench`).

A 5,000-row spreadsheet (check, then import in one transaction) into a throwaway
partnership of the bench database, removed afterwards. The OpenActive equivalent is
`python -m providers.openactive.bench_feed --items 5000`.
"""

import os
import sys
import time

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/talkingmoves_bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talkingmoves.settings.local")

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
    finally:
        from providers.models import Activity, ListingChange, Venue

        with transaction.atomic():
            Activity.objects.filter(provider__partnership=partnership).delete()
            Venue.objects.filter(provider__partnership=partnership).delete()
            Provider.objects.filter(partnership=partnership).delete()
            ListingChange.objects.filter(actor=officer).delete()
            officer.delete()
            partnership.delete()


def main() -> int:
    import django

    django.setup()
    run_csv_import()
    return 0


if __name__ == "__main__":
    sys.exit(main())
