"""Signed-in load on the production stack: `python -m bench.load` (`make bench-load`).

Serves the demo data (seeded once into its own PostgreSQL database) with `scripts/web`
(gunicorn, production settings), signs in one person of each role, finds each role's pages by
following the links on their pages, then:

1. the cost of each page one request at a time: wall time, and the CPU the web workers spent
   (from /proc, so the database's own CPU is not in it — the SQL time is printed beside it);
2. a paced, open-loop mix of those pages at LOAD_RATE requests a second for LOAD_SECONDS
   (default 50/s for 60 s): throughput reached, median, p95, p99 and errors. Latency runs
   from when each request was due, so a server that falls behind is not flattered;
3. the same load against Django's development server, for comparison.

Not a test: the numbers depend on the machine and on what else it runs. The load generator
shares the machine's cores with the server; on 2 cores it takes a few per cent of one.
"""

import http.client
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urlparse

ROOT = Path(__file__).resolve().parent.parent
DATABASE_URL = os.environ.get("LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tm_load")
BROKER_URL = os.environ.get("LOAD_BROKER_URL", "redis://127.0.0.1:6379/13")
PORT = int(os.environ.get("LOAD_PORT", "18611"))
RATE = float(os.environ.get("LOAD_RATE", "50"))
SECONDS = float(os.environ.get("LOAD_SECONDS", "60"))
COST_RUNS = int(os.environ.get("LOAD_COST_RUNS", "20"))
PAGES_PER_ROLE = 12
HOST = "talkingmoves.example.nhs.uk"
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "talkingmoves.settings.production",
    "SECRET_KEY": "bench-load-" + "k" * 60,
    "DATABASE_URL": DATABASE_URL,
    "CELERY_BROKER_URL": BROKER_URL,
    "ALLOWED_HOSTS": f"{HOST},127.0.0.1",
    "SITE_URL": f"https://{HOST}",
    "MESSAGES_DELIVERY": "store",
}
DEMO_USERS = {
    "clinician": "clinician@demo.test",
    "service lead": "lead@demo.test",
    "partnership staff": "partnership@demo.test",
    "provider staff": "provider@demo.test",
}
# Links a crawl must not follow: they change state, download, or leave the product.
SKIP = re.compile(r"sign-out|/admin/|\.csv|/download|/export|/static/|/media/|/api/|\?page=")


def _ensure_demo_database() -> None:
    import psycopg

    url = urlparse(DATABASE_URL)
    name = url.path.lstrip("/")
    with psycopg.connect(url._replace(path="/postgres").geturl(), autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return
        conn.execute(f'CREATE DATABASE "{name}"')
    local = {**os.environ, "DATABASE_URL": DATABASE_URL, "CELERY_BROKER_URL": BROKER_URL}
    local["DJANGO_SETTINGS_MODULE"] = "talkingmoves.settings.local"
    python = sys.executable
    subprocess.run([python, "manage.py", "migrate", "--noinput", "-v0"], env=local, check=True)
    subprocess.run(
        [python, "manage.py", "seed_demo"],
        env=local,
        check=True,
        cwd=ROOT,
        stderr=subprocess.DEVNULL,  # a line per demo message stored
    )


def _session_cookies() -> dict[str, str]:
    """A signed-in session (second factor done) for each demo role, made in the database the
    server reads, under the server's settings and key."""
    os.environ.update(PRODUCTION_ENV)
    import logging

    import django

    django.setup()
    # The SQL column replays each page here, in-process: its request log lines are not output.
    logging.getLogger("talkingmoves").setLevel(logging.WARNING)
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from talkingmoves.accounts.models import User

    cookies = {}
    for role, email in DEMO_USERS.items():
        user = User.objects.get(email=email)
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        if user.needs_two_factor:
            device, _ = TOTPDevice.objects.get_or_create(user=user, name="load", confirmed=True)
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.create()
        cookies[role] = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
    return cookies


def _get(path: str, cookie: str, port: int) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(
            "GET", path, headers={"Host": HOST, "Cookie": cookie, "X-Forwarded-Proto": "https"}
        )
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href") if tag == "a" else None
        if href and href.startswith("/") and not href.startswith("//"):
            self.found.append(urldefrag(href)[0])


def _crawl(cookie: str, port: int) -> list[str]:
    """The role's pages: home, then breadth-first along same-site links that answer 200."""
    pages, queue, seen = [], ["/"], {"/"}
    while queue and len(pages) < PAGES_PER_ROLE:
        path = queue.pop(0)
        status, body = _get(path, cookie, port)
        if status != 200:
            continue
        pages.append(path)
        parser = _Links()
        parser.feed(body.decode("utf-8", "replace"))
        for link in parser.found:
            if link not in seen and not SKIP.search(link):
                seen.add(link)
                queue.append(link)
    return pages


def _start(command: list[str], port: int) -> subprocess.Popen:
    env = {**os.environ, **PRODUCTION_ENV, "PORT": str(port), "WEB_HOST": "127.0.0.1"}
    server = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    for _ in range(150):
        try:
            if _get("/healthz", "", port)[0] == 200:
                return server
        except OSError:
            time.sleep(0.2)
    _stop(server)
    raise SystemExit(f"{command[0]} did not answer /healthz on port {port}")


def _stop(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


def _process_cpu_seconds(root_pid: int) -> float:
    """User + system CPU of a process group's processes (gunicorn's master and workers)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == root_pid:  # process group id
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def _sql_ms(path: str, cookie: str, role: str) -> float:
    """The time of the page's own SQL, re-run straight on the database."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST=HOST, HTTP_X_FORWARDED_PROTO="https")
    name, key = cookie.split("=", 1)
    client.cookies[name] = key
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    start = time.perf_counter()
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            sql = query["sql"]
            if sql.lstrip().upper().startswith(("SELECT", "WITH")):
                cursor.execute(sql)
                cursor.fetchall()
    return (time.perf_counter() - start) * 1000


def page_costs(mix: list[tuple[str, str]], cookies: dict[str, str], server) -> None:
    print(f"\nCost per page, one request at a time ({COST_RUNS} runs each, gunicorn):")
    print(f"{'role':<18} {'page':<52} {'wall ms':>8} {'CPU ms':>7} {'SQL ms':>7}")
    costs = []
    for role, path in mix:
        _get(path, cookies[role], PORT)  # warm
        walls = []
        before = _process_cpu_seconds(server.pid)
        for _ in range(COST_RUNS):
            start = time.perf_counter()
            _get(path, cookies[role], PORT)
            walls.append((time.perf_counter() - start) * 1000)
        cpu = (_process_cpu_seconds(server.pid) - before) * 1000 / COST_RUNS
        costs.append(cpu)
        sql = _sql_ms(path, cookies[role], role)
        print(f"{role:<18} {path[:52]:<52} {statistics.median(walls):8.1f} {cpu:7.1f} {sql:7.1f}")
    print(f"{'mean CPU per request (web workers)':<71} {statistics.mean(costs):7.1f}")


def paced_load(label: str, mix, cookies, port: int) -> None:
    total = int(RATE * SECONDS)
    results: list[tuple[float, int]] = []
    lock = threading.Lock()
    start = time.perf_counter() + 0.5

    def one(index: int) -> None:
        due = start + index / RATE
        role, path = mix[index % len(mix)]
        try:
            status = _get(path, cookies[role], port)[0]
        except OSError:
            status = 0
        with lock:
            results.append((time.perf_counter() - due, status))

    with ThreadPoolExecutor(max_workers=200) as pool:
        for index in range(total):
            delay = start + index / RATE - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            pool.submit(one, index)
    elapsed = time.perf_counter() - start
    latencies = sorted(latency * 1000 for latency, _ in results)
    errors = sum(1 for _, status in results if status != 200)

    def pct(p: float) -> float:
        return latencies[max(0, round(p * len(latencies)) - 1)]

    median = statistics.median(latencies)
    print(
        f"{label:<34} {len(results) / elapsed:6.1f} req/s   median {median:7.1f}"
        f" ms   p95 {pct(0.95):7.1f} ms   p99 {pct(0.99):7.1f} ms   errors {errors}/{total}"
    )


def main() -> int:
    _ensure_demo_database()
    # The release step, as a deploy runs it: migrations, deploy checks, collectstatic.
    release_env = {**os.environ, **PRODUCTION_ENV}
    subprocess.run(["scripts/release"], cwd=ROOT, env=release_env, check=True, capture_output=True)
    cookies = _session_cookies()
    workers = os.environ.get("WEB_CONCURRENCY", "3")
    os.environ["WEB_CONCURRENCY"] = workers
    server = _start(["scripts/web"], PORT)
    try:
        mix = [(role, path) for role in cookies for path in _crawl(cookies[role], PORT)]
        print(f"{len(mix)} pages across {len(cookies)} roles; gunicorn with {workers} workers")
        page_costs(mix, cookies, server)
        print(f"\nPaced load, {RATE:.0f} requests/s for {SECONDS:.0f} s, the pages above in turn:")
        paced_load("gunicorn, production settings", mix, cookies, PORT)
    finally:
        _stop(server)
    dev = _start(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{PORT + 1}", "--noreload"],
        PORT + 1,
    )
    try:
        paced_load("runserver, production settings", mix, cookies, PORT + 1)
    finally:
        _stop(dev)
    return 0


if __name__ == "__main__":
    sys.exit(main())
