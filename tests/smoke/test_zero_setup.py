"""`make run`'s zero-setup default keeps working: SQLite under a data folder and the
filesystem broker, with no DATABASE_URL or CELERY_BROKER_URL."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(args, env):
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def test_migrate_seed_and_sign_in_as_every_role_without_servers(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="talkingmoves.settings.local",
        TALKINGMOVES_DATA_DIR=str(tmp_path),
        PYTHONPATH=str(ROOT),
    )
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)

    for step in (
        ["manage.py", "migrate", "--noinput"],
        ["manage.py", "seed_demo"],
        ["manage.py", "seed_demo"],
    ):
        result = _run(step, env)
        assert result.returncode == 0, f"{step}: {result.stderr[-2000:]}"
    assert (tmp_path / "talkingmoves.sqlite3").exists()

    journey = _run(["tests/smoke/zero_setup_journey.py"], env)
    assert journey.returncode == 0, journey.stderr[-2000:]
    assert journey.stdout.count("ok ") == 7  # six sign-ins and the OpenActive feed
