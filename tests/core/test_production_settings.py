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
    "NOTIFY_API_KEY": "live-" + "0" * 36 + "-" + "1" * 36,
    "NOTIFY_EMAIL_TEMPLATE_ID": "6b0c7c2e-0000-4000-8000-000000000001",
    "NOTIFY_SMS_TEMPLATE_ID": "6b0c7c2e-0000-4000-8000-000000000002",
    "NOTIFY_CALLBACK_TOKEN": "a-long-shared-secret-for-delivery-callbacks",
    # The public notices a trust fills in (a warning, not a stop, while any is blank).
    "ACCESSIBILITY_CONTACT_EMAIL": "accessibility@example.nhs.uk",
    "PRIVACY_CONTROLLER_NAME": "Example NHS Foundation Trust",
    "PRIVACY_CONTROLLER_ADDRESS": "1 Example Road, Exampleton EX1 1AA",
    "PRIVACY_DPO_CONTACT": "dpo@example.nhs.uk",
    "PRIVACY_NOTICE_UPDATED": "1 December 2026",
    "PRIVACY_RETENTION": "8 years after the last contact",
}
NOTIFY = [name for name in GOOD_ENV if name.startswith("NOTIFY_")]
NOTICES = [n for n in GOOD_ENV if n.startswith(("PRIVACY_", "ACCESSIBILITY_"))]
# Read with production settings loaded, in a fresh process.
SHOW = "import django, sys; django.setup(); from django.conf import settings; print({})"


def _run(*args, env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in GOOD_ENV and k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "MESSAGES_DELIVERY"}
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


def test_blank_public_notices_warn_but_do_not_stop_the_deploy():
    env = {k: v for k, v in GOOD_ENV.items() if k not in NOTICES}
    result = _run("manage.py", "check", "--deploy", "--fail-level", "ERROR", env=env)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "PRIVACY_CONTROLLER_NAME is not set" in result.stderr + result.stdout


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("SECRET_KEY", "Set the SECRET_KEY environment variable"),
        ("DATABASE_URL", "Set the DATABASE_URL environment variable"),
        ("CELERY_BROKER_URL", "Set the CELERY_BROKER_URL environment variable"),
        ("ALLOWED_HOSTS", "Set the ALLOWED_HOSTS environment variable"),
        ("SITE_URL", "Set the SITE_URL environment variable"),
        *[(name, f"Set the {name} environment variable") for name in NOTIFY],
    ],
)
def test_missing_required_variable_fails_at_start(missing, message):
    env = {k: v for k, v in GOOD_ENV.items() if k != missing}
    result = _run("manage.py", "check", env=env)
    assert result.returncode != 0
    assert message in result.stderr
    # One line that says what to do, not a traceback.
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("TalkingMoves cannot start: ")


@pytest.mark.parametrize("missing", NOTIFY)
def test_missing_notify_setting_says_how_to_store_instead(missing):
    env = {k: v for k, v in GOOD_ENV.items() if k != missing}
    result = _run("manage.py", "check", env=env)
    assert "or MESSAGES_DELIVERY=store" in result.stderr


def test_staging_may_store_messages_when_it_says_so():
    env = {k: v for k, v in GOOD_ENV.items() if k not in NOTIFY}
    result = _run(
        "-c",
        SHOW.format("settings.MESSAGES_DELIVERY, settings.MESSAGES_NOT_SENT_WARNING"),
        env={**env, "MESSAGES_DELIVERY": "store"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["store", "True"]


def test_production_sends_through_notify_without_the_warning():
    result = _run(
        "-c",
        SHOW.format("settings.MESSAGES_DELIVERY, settings.MESSAGES_NOT_SENT_WARNING"),
        env=GOOD_ENV,
    )
    assert result.stdout.split() == ["notify", "False"], result.stderr


def test_storing_while_a_notify_key_is_set_is_refused():
    result = _run("manage.py", "check", env={**GOOD_ENV, "MESSAGES_DELIVERY": "store"})
    assert result.returncode != 0
    assert "MESSAGES_DELIVERY=store" in result.stderr
    assert "NOTIFY_API_KEY is set" in result.stderr


def test_unknown_delivery_is_refused():
    result = _run("manage.py", "check", env={**GOOD_ENV, "MESSAGES_DELIVERY": "email"})
    assert result.returncode != 0
    assert "MESSAGES_DELIVERY must be one of notify, store, not 'email'" in result.stderr


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({}, "('HTTP_X_FORWARDED_PROTO', 'https')"),
        ({"TRUST_X_FORWARDED_PROTO": ""}, "('HTTP_X_FORWARDED_PROTO', 'https')"),
        ({"TRUST_X_FORWARDED_PROTO": "false"}, "None"),
    ],
)
def test_the_load_balancers_x_forwarded_proto_is_trusted_unless_switched_off(extra, expected):
    result = _run(
        "-c",
        SHOW.format("getattr(settings, 'SECURE_PROXY_SSL_HEADER', None)"),
        env={**GOOD_ENV, **extra},
    )
    assert result.stdout.strip() == expected, result.stderr


def test_an_empty_security_switch_keeps_its_safe_default():
    result = _run(
        "-c",
        SHOW.format("settings.SECURE_SSL_REDIRECT"),
        env={**GOOD_ENV, "SECURE_SSL_REDIRECT": ""},
    )
    assert result.stdout.strip() == "True", result.stderr


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
