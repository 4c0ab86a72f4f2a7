"""One line per page: the page through the test client (middleware, ORM, templates), and
the SQL that same request sent, replayed on the same data in the same run, so what is left
is the Python. BENCH_RUNS sets the runs per page (default 30)."""

import os
import statistics
import time
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass

from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext

RUNS = int(os.environ.get("BENCH_RUNS", "30"))
# BENCH_PAGES=caseload,matching times only the pages whose label contains one of the names.
PAGES = [
    name.strip().lower() for name in os.environ.get("BENCH_PAGES", "").split(",") if name.strip()
]
# A file to append each page's heaviest statement and its EXPLAIN (ANALYZE, BUFFERS) to.
EXPLAIN_TO = os.environ.get("BENCH_EXPLAIN", "")
LABEL_WIDTH = 52


def wanted(label: str) -> bool:
    return not PAGES or any(name in label.lower() for name in PAGES)


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


# A request's own transactions (a session save) show up as BEGIN ... COMMIT; replayed inside
# the rolled-back one they become a savepoint, the same round trip without the commit.
TRANSACTION_CONTROL = {
    "BEGIN": "SAVEPOINT bench_replay",
    "COMMIT": "RELEASE SAVEPOINT bench_replay",
    "ROLLBACK": "ROLLBACK TO SAVEPOINT bench_replay",
}


def replayable(sqls: list[str]) -> list[str]:
    return [TRANSACTION_CONTROL.get(sql.strip().upper(), sql) for sql in sqls]


def replay(sqls: list[str]) -> float:
    """The captured statements again, in one transaction rolled back (a request's session
    or access-log write must not stick), in milliseconds. Each write runs in a savepoint: a
    replayed INSERT can collide with the row the request itself wrote, and the statements
    after it must still run."""
    sqls = replayable(sqls)
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for sql in sqls:
            if sql.lstrip()[:6].upper() in ("INSERT", "UPDATE", "DELETE"):
                try:
                    with transaction.atomic():
                        cursor.execute(sql)
                except DatabaseError:  # a duplicate key on replay: the request wrote it
                    pass
                continue
            cursor.execute(sql)
            if cursor.description is not None:
                cursor.fetchall()
        transaction.set_rollback(True)
    return (time.perf_counter() - start) * 1000


def heaviest(sqls: list[str], tries: int = 3) -> tuple[float, str]:
    """The slowest statement of a replay, each timed alone (rolled back; the fastest of
    `tries`, so one stall on a busy machine does not pick it), and its time."""
    best = (0.0, "")
    with transaction.atomic(), connection.cursor() as cursor:
        for sql in sqls:
            if sql.strip().upper() in TRANSACTION_CONTROL:
                continue
            fastest = float("inf")
            for _ in range(tries):
                start = time.perf_counter()
                try:
                    with transaction.atomic():
                        cursor.execute(sql)
                        if cursor.description is not None:
                            cursor.fetchall()
                except DatabaseError:
                    break
                fastest = min(fastest, (time.perf_counter() - start) * 1000)
            if fastest < float("inf"):
                best = max(best, (fastest, sql))
        transaction.set_rollback(True)
    return best


def explain(sql: str) -> str:
    """EXPLAIN (ANALYZE, BUFFERS) of one statement, rolled back."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
        transaction.set_rollback(True)
    return plan


class Commits:
    """A changing request's commits, timed as they happen: each COMMIT, and each write sent
    outside a transaction (an access-log row), which commits itself. A replay is rolled
    back, so it cannot wait for a commit to reach the disk; those waits are taken from the
    request itself and added to the replay's time, and the self-committing writes are left
    out of the replay so they are not counted twice."""

    def __init__(self):
        self.ms = 0.0
        self.writes: set[int] = set()  # their places in connection.queries_log

    def __enter__(self):
        self._commit = connection._commit
        connection._commit = self._timed_commit
        self._wrapper = connection.execute_wrapper(self._timed_write)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc):
        self._wrapper.__exit__(*exc)
        connection._commit = self._commit

    def _timed_commit(self):
        start = time.perf_counter()
        try:
            return self._commit()
        finally:
            self.ms += (time.perf_counter() - start) * 1000

    def _timed_write(self, execute, sql, params, many, context):
        if not connection.get_autocommit() or not _writes(sql):
            return execute(sql, params, many, context)
        self.writes.add(len(connection.queries_log))  # where the debug cursor will log it
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.ms += (time.perf_counter() - start) * 1000


def _writes(sql: str) -> bool:
    return sql.lstrip()[:6].upper() in ("INSERT", "UPDATE", "DELETE")


def captured_sql(request: Callable[[], object]) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        request()
    return [query["sql"] for query in captured.captured_queries]


@dataclass
class Measured:
    label: str
    page_median: float
    page_p95: float
    sql_median: float
    queries: int
    cpu_median: float
    # p95 of each run's page time less that run's own SQL: the bar's "within 25 ms of its
    # SQL at p95" without one slow commit or cache miss on the database's side counted as
    # Python, which p95 less the median SQL does.
    outside_p95: float

    @property
    def ratio(self) -> float:
        return self.page_median / self.sql_median if self.sql_median else float("inf")

    def line(self) -> str:
        return (
            f"{self.label:<{LABEL_WIDTH}}  page median {self.page_median:7.1f} "
            f"p95 {self.page_p95:7.1f}  sql {self.sql_median:6.1f}  "
            f"queries {self.queries:3d}  ratio {self.ratio:5.1f}  cpu {self.cpu_median:6.1f}  "
            f"outside p95 {self.outside_p95:6.1f}"
        )


RESULTS: list[Measured] = []


def measure(
    label: str,
    request: Callable[[], object],
    runs: int = RUNS,
    *,
    changes: bool = False,
    before: Callable[[], object] | None = None,
) -> Measured | None:
    """Times `request` `runs` times after a warm-up that captures its SQL, and replays that
    SQL after each run. A request that `changes` something (sending a referral) is not the
    same request twice: the work one run does can differ from the next's (a person's first
    referral also moves their episode's figures), so each run's own statements are captured
    and replayed, at the cost of the capture's bookkeeping (well under a millisecond for
    thirty statements) inside the timed request; its commits are timed as they happen
    (Commits). cpu is this process's CPU time for the request (not the database's): on a
    shared, loaded machine the wall clock waits for a core, the CPU time does not. `before`
    runs, untimed, before each request and its warm-up (to empty what the request would
    otherwise find kept by the one before)."""
    if not wanted(label):
        return None
    if before:
        before()
    sqls = captured_sql(request)  # also the warm-up
    pages, replays, cpus, counts = [], [], [], []
    for _ in range(runs):
        if before:
            before()
        commits = Commits()
        with (
            CaptureQueriesContext(connection) if changes else nullcontext() as captured,
            commits if changes else nullcontext(),
        ):
            cpu = time.process_time()
            start = time.perf_counter()
            request()
            pages.append((time.perf_counter() - start) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
        if changes:
            sqls = [query["sql"] for query in captured.captured_queries]
            first = captured.initial_queries
            in_replay = [sql for n, sql in enumerate(sqls, first) if n not in commits.writes]
            replays.append(replay(in_replay) + commits.ms)
        else:
            replays.append(replay(sqls))
        counts.append(len(sqls))
    result = Measured(
        label,
        statistics.median(pages),
        p95(pages),
        statistics.median(replays),
        round(statistics.median(counts)),
        statistics.median(cpus),
        p95([page - sql for page, sql in zip(pages, replays, strict=True)]),
    )
    RESULTS.append(result)
    print(result.line(), flush=True)
    if EXPLAIN_TO and sqls:
        ms, sql = heaviest(sqls)
        with open(EXPLAIN_TO, "a") as out:
            out.write(f"## {label}\n\nheaviest of {len(sqls)} statements, {ms:.1f} ms:\n\n")
            reads = sql.lstrip().upper().startswith(("SELECT", "WITH"))
            out.write(f"{sql}\n\n{explain(sql) if reads else '(a write)'}\n\n")
    return result


def not_measured(label: str, why: str) -> None:
    print(f"{label:<{LABEL_WIDTH}}  not measured: {why}", flush=True)
