"""Each view of the service lead's dashboard, fresh (no cached figures), beside the time of
replaying that same request's SQL on the same data in the same run (issue 12 item 7: the
page within 1.5x of its own queries, p95 under 500 ms at 100,000 service users and
1,000,000 measures). BENCH_DASHBOARD_RUNS sets the runs per view (default 20)."""

import os
import statistics
import time
from datetime import date

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench.measure import p95 as _p95
from bench.measure import replay as _replay
from bench.pages import _client, _ok
from bench.seed_outcomes import LEAD_EMAIL
from outcomes.dashboards.db import analytics
from outcomes.dashboards.lead import comparison
from outcomes.dashboards.lead.sections import SECTIONS
from outcomes.dashboards.lead.views import LEAD_TABLES
from outcomes.dashboards.periods import Period, default_period, financial_year, month, quarter
from talkingmoves.accounts.models import Organisation

RUNS = int(os.environ.get("BENCH_DASHBOARD_RUNS", "20"))


SECTIONS_TIMED = os.environ.get("BENCH_DASHBOARD_SECTIONS", "summary").split(",")


def views(today: date) -> list[tuple[str, str]]:
    """Each section in BENCH_DASHBOARD_SECTIONS ("all" for every one; the summary, the page
    a lead opens first, by default) for each kind of period, and a download."""
    this_year = today.year if today.month >= 4 else today.year - 1
    last_year = this_year - 1
    slugs = [s.slug for s in SECTIONS] if SECTIONS_TIMED == ["all"] else SECTIONS_TIMED
    custom = Period(date(last_year, 5, 17), date(this_year, 2, 9))
    named = [
        ("rolling 12 months", default_period(today)),
        (f"financial year {financial_year(last_year).name}", financial_year(last_year)),
        (f"quarter {quarter(last_year, 3).name}", quarter(last_year, 3)),
        (f"month {month(this_year, 6).name}", month(this_year, 6)),
        (f"custom {custom.start} to {custom.end}", custom),
    ]
    rows = [
        (f"{slug}, {label}", f"{reverse(f'dashboards:lead_{slug}')}?{period.query}")
        for slug in slugs
        for label, period in named
    ]
    # The downloads: every table's CSV with every section ("all"), else the recovery one,
    # for a financial year (downloads are for whole months only).
    year = financial_year(last_year)
    # BENCH_DASHBOARD_CSVS: "all", or table slugs (comma-separated); all with all sections.
    csvs = os.environ.get(
        "BENCH_DASHBOARD_CSVS", "all" if SECTIONS_TIMED == ["all"] else "recovery"
    )
    tables = sorted(LEAD_TABLES) if csvs == "all" else csvs.split(",")
    for table in tables:
        csv = reverse("dashboards:lead_dashboard_csv", args=[table])
        rows.append((f"CSV {table}, {year.name}", f"{csv}?{year.query}"))
    return rows


def run() -> None:
    lead = _client(LEAD_EMAIL)
    from django.utils import timezone

    today = timezone.localdate()
    print(f"Lead dashboard views, fresh (n={RUNS} each): page median / p95, replay of the same")
    print("request's SQL (median), page / SQL")
    with override_settings(DASHBOARD_CACHE_SECONDS=0):
        for label, url in views(today):
            with CaptureQueriesContext(connection) as captured:
                _ok(lead.get(url))  # warm up, and the statements to replay
            sqls = [query["sql"] for query in captured.captured_queries]
            pages, replays = [], []
            for _ in range(RUNS):
                start = time.perf_counter()
                _ok(lead.get(url))
                pages.append((time.perf_counter() - start) * 1000)
                replays.append(_replay(sqls))
            page_median, sql_median = statistics.median(pages), statistics.median(replays)
            print(
                f"  {label:<48} page {page_median:7.1f} / {_p95(pages):7.1f} ms   "
                f"sql {sql_median:7.1f} ms   ratio {page_median / sql_median:4.2f}   "
                f"({len(sqls)} queries)"
            )
    _facts_against_episodes(today)


def _facts_against_episodes(today: date) -> None:
    """The outcome comparison alone, from the facts and from the episodes, for a year."""
    service = Organisation.objects.get(name="Bench Talking Therapies").pk
    period = financial_year((today.year if today.month >= 4 else today.year - 1) - 1)
    for label, compute in (
        ("facts", comparison.outcome_comparison),
        ("episodes (raw)", comparison.outcome_comparison_raw),
    ):
        samples = []
        for _ in range(RUNS):
            with analytics():
                start = time.perf_counter()
                compute(service, period)
                samples.append((time.perf_counter() - start) * 1000)
        median = statistics.median(samples)
        print(f"  outcome comparison {period.name} from {label:<15} {median:7.1f} ms")
