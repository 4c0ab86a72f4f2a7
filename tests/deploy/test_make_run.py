"""`make run PORT=…` serves the demo on that port, and the links in its messages must lead
there too (issue 15 item 9: every demo link pointed at port 8000)."""

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _planned_commands(*args: str) -> list[str]:
    result = subprocess.run(
        ["make", "--dry-run", "--always-make", "run", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return [line for line in result.stdout.splitlines() if "seed_demo" in line or "honcho" in line]


def test_make_run_points_message_links_at_the_port_it_serves():
    commands = _planned_commands("PORT=8123")

    assert len(commands) == 2
    assert all("SITE_URL=http://127.0.0.1:8123 " in command for command in commands)


def test_a_given_site_url_wins_over_the_port():
    commands = _planned_commands("PORT=8123", "SITE_URL=https://demo.example.org")

    assert all("SITE_URL=https://demo.example.org " in command for command in commands)
