"""The production processes as a platform runs them: scripts/web is gunicorn under production
settings against a real PostgreSQL database, answering the load balancer's probes; the
release step refuses an incomplete configuration before touching the database; the static
files collect under production settings; `make serve` says what it needs."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from tests.core.test_production_settings import GOOD_ENV

ROOT = Path(__file__).resolve().parents[2]
HOST = "talkingmoves.example.nhs.uk"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _environment(**overrides) -> dict[str, str]:
    inherited = {
        k: v
        for k, v in os.environ.items()
        if k not in GOOD_ENV and not k.startswith(("DJANGO_", "PYTEST_", "MESSAGES_"))
    }
    return {**inherited, **GOOD_ENV, **overrides}


def _get(port, path, **headers):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _database_url() -> str:
    db = settings.DATABASES["default"]
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.fixture
def web(db, tmp_path, collected):
    """Starts scripts/web against this test's PostgreSQL database, serving the static files
    `collected` holds (production's manifest storage needs them); yields (port, log)."""
    started = []

    def start(**overrides):
        port = _free_port()
        log = tmp_path / f"web-{port}.log"
        env = _environment(
            **{
                "DATABASE_URL": _database_url(),
                "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
                "PORT": str(port),
                "WEB_HOST": "127.0.0.1",
                "WEB_CONCURRENCY": "1",
                "DJANGO_SETTINGS_MODULE": "collect_settings",
                "PYTHONPATH": str(collected),
                **overrides,
            }
        )
        with log.open("w") as out:
            process = subprocess.Popen(
                [ROOT / "scripts" / "web"],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        started.append(process)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert process.poll() is None, log.read_text()
            try:
                if _get(port, "/healthz")[0] == 200:
                    return port, log
            except OSError:
                time.sleep(0.3)
        pytest.fail(f"gunicorn did not answer /healthz within 60 s:\n{log.read_text()}")

    yield start
    for process in started:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def test_web_answers_the_load_balancer_and_serves_pages_behind_it(web):
    port, log = web()
    # The probes: plain HTTP, addressed to the server itself (not in ALLOWED_HOSTS).
    status, headers, body = _get(port, "/healthz")
    assert (status, body) == (200, '{"status": "ok"}')
    status, _, body = _get(port, "/readyz")
    assert status == 200, body
    assert '"checks": {"database": "ok", "migrations": "ok", "broker": "ok"}' in body
    # Anything else: the host check, then the HTTPS redirect, unless the balancer says HTTPS.
    assert _get(port, "/healthz/x")[0] == 400
    assert _get(port, "/readyz?x")[0] == 400
    status, headers, _ = _get(port, "/", Host=HOST)
    assert (status, headers["Location"]) == (301, f"https://{HOST}/")
    status, headers, _ = _get(port, "/", Host=HOST, **{"X-Forwarded-Proto": "https"})
    assert status == 302 and headers["Location"].startswith("/account/")
    assert "Strict-Transport-Security" in headers
    # The access log is on stdout, without the token of a password-reset link. (Not a
    # message link: its rate-limit count would outlive this test, in the database.)
    reset = "/account/password-reset/MQ/c5x1a2-secret0123456789abcdef/"
    assert _get(port, reset, Host=HOST, **{"X-Forwarded-Proto": "https"})[0] == 200
    time.sleep(0.5)
    written = log.read_text()
    assert '"GET /healthz HTTP/1.1" 200' in written
    assert '"GET /account/password-reset/[redacted]/[redacted]/ HTTP/1.1" 200' in written
    assert "secret0123456789abcdef" not in written


def test_readyz_names_the_broker_when_redis_is_unreachable(web):
    port, _ = web(CELERY_BROKER_URL=f"redis://127.0.0.1:{_free_port()}/0")
    status, _, body = _get(port, "/readyz")
    assert status == 503
    assert '"failed": ["broker"]' in body
    assert '"broker": "unreachable"' in body
    assert _get(port, "/healthz")[0] == 200  # alive, just not ready


def test_web_refuses_to_start_without_a_required_variable():
    env = _environment()
    del env["SECRET_KEY"]
    result = subprocess.run(
        [ROOT / "scripts" / "web"], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "Set the SECRET_KEY environment variable" in result.stderr


def test_release_refuses_without_notify_before_touching_the_database():
    env = _environment(DATABASE_URL="postgres://nobody@127.0.0.1:1/none")
    del env["NOTIFY_API_KEY"]
    result = subprocess.run(
        [ROOT / "scripts" / "release"], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "Set the NOTIFY_API_KEY environment variable" in result.stderr
    assert "or MESSAGES_DELIVERY=store" in result.stderr
    assert "Applying" not in result.stdout
    assert "Release step finished" not in result.stdout


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """The front-end build's output, NHS.UK frontend's source maps included, collected through
    the production storage (hashed names, compressed copies) into a fresh directory, as the
    release step does; yields the folder holding `collect_settings`, which serves it."""
    tmp_path = tmp_path_factory.mktemp("collected")
    static = tmp_path / "static"
    shutil.copytree(ROOT / "static", static, ignore=shutil.ignore_patterns("vendor"))
    built = subprocess.run(
        ["node", "scripts/copy-frontend.mjs", str(static / "vendor")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert built.returncode == 0, built.stderr
    (tmp_path / "collect_settings.py").write_text(
        "from talkingmoves.settings.production import *  # noqa\n"
        f"STATICFILES_DIRS = [{str(static)!r}]\n"
        f"STATIC_ROOT = {str(tmp_path / 'collected')!r}\n"
    )
    env = _environment(DJANGO_SETTINGS_MODULE="collect_settings", PYTHONPATH=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return tmp_path


def test_static_files_collect_under_production_settings(collected):
    manifest = (collected / "collected" / "staticfiles.json").read_text()
    assert '"vendor/nhsuk-frontend/nhsuk-frontend.min.css"' in manifest
    assert '"vendor/nhsuk-frontend/nhsuk-frontend.min.css.map"' in manifest
    assert list((collected / "collected" / "vendor" / "nhsuk-frontend").glob("*.min.*.css.gz"))


def test_make_serve_says_what_it_needs():
    env = {k: v for k, v in _environment().items() if k not in GOOD_ENV}
    result = subprocess.run(
        ["make", "--no-print-directory", "serve"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "set DATABASE_URL and CELERY_BROKER_URL" in result.stderr
