"""Under production settings, in a fresh process: JSON lines on stdout (the worker keeps
them), and Sentry started only when SENTRY_DSN is set."""

import json

from tests.core.test_production_settings import GOOD_ENV, _run

LOG_A_LINE = (
    "import django, logging; django.setup(); "
    "from django.conf import settings; from talkingmoves.celery import app; "
    "logging.getLogger('talkingmoves.check').warning('hello %s', 'jo@example.com'); "
    "print(app.conf.worker_hijack_root_logger)"
)
SENTRY_STATE = (
    "import django; django.setup(); import sentry_sdk; client = sentry_sdk.get_client(); "
    "print(client.is_active(), (client.options.get('data_collection') or {}).get('user_info'))"
)


def test_logs_are_json_lines_on_stdout_and_celery_keeps_them():
    result = _run("-c", LOG_A_LINE, env=GOOD_ENV)
    assert result.returncode == 0, result.stderr
    line, hijack = result.stdout.strip().splitlines()
    logged = json.loads(line)
    assert logged["logger"] == "talkingmoves.check"
    assert logged["message"] == "hello [redacted]"
    assert hijack == "False"


def test_sentry_only_when_a_dsn_is_set():
    off = _run("-c", SENTRY_STATE, env=GOOD_ENV)
    assert off.stdout.split() == ["False", "None"], off.stderr
    dsn = {**GOOD_ENV, "SENTRY_DSN": "https://public@127.0.0.1:9/1"}
    on = _run("-c", SENTRY_STATE, env=dsn)
    assert on.stdout.split() == ["True", "False"], on.stderr
