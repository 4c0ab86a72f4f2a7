"""Production settings fail closed: missing secrets stop the start with a clear message, and
`check --deploy` is clean when everything is set."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD_ENV = {
    "DJANGO_SETTINGS_MODULE": "talkingmoves.settings.production",
    "SECRET_KEY": "x" * 20 + "-production-like-secret-key-for-the-deploy-check-only",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/talkingmoves",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/15",
    "ALLOWED_HOSTS": "talkingmoves.example.nhs.uk",
    "SITE_URL": "https://talkingmoves.example.nhs.uk",
}


def _run(*args, env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in GOOD_ENV and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean():
    result = _run("manage.py", "check", "--deploy", "--fail-level", "WARNING", env=GOOD_ENV)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("SECRET_KEY", "Set the SECRET_KEY environment variable"),
        ("DATABASE_URL", "Set the DATABASE_URL environment variable"),
        ("CELERY_BROKER_URL", "Set the CELERY_BROKER_URL environment variable"),
        ("ALLOWED_HOSTS", "Set the ALLOWED_HOSTS environment variable"),
        ("SITE_URL", "Set the SITE_URL environment variable"),
    ],
)
def test_missing_required_variable_fails_at_start(missing, message):
    env = {k: v for k, v in GOOD_ENV.items() if k != missing}
    result = _run("manage.py", "check", env=env)
    assert result.returncode != 0
    assert message in result.stderr


def test_short_secret_key_is_refused():
    result = _run("manage.py", "check", env={**GOOD_ENV, "SECRET_KEY": "too-short"})
    assert result.returncode != 0
    assert "SECRET_KEY must be at least 50 characters" in result.stderr


def test_production_does_not_install_the_demo_so_cannot_seed_demo_data():
    result = _run("manage.py", "seed_demo", env=GOOD_ENV)
    assert result.returncode != 0
    assert "Unknown command: 'seed_demo'" in result.stderr
    installed = _run(
        "-c",
        "import django; django.setup(); from django.apps import apps; "
        "print(apps.is_installed('talkingmoves.demo'))",
        env=GOOD_ENV,
    )
    assert installed.stdout.strip() == "False", installed.stderr


def test_security_headers_and_csp(client_for, partnership_staff):
    response = client_for(partnership_staff).get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "<script>" not in response.content.decode()  # no inline scripts


def test_bad_boolean_setting_is_refused():
    result = _run("manage.py", "check", env={**GOOD_ENV, "SECURE_SSL_REDIRECT": "maybe"})
    assert result.returncode != 0
    assert "SECURE_SSL_REDIRECT must be true or false" in result.stderr
