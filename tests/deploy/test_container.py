"""The container definition, read with Docker's own parser (Docker cannot run here): every
process is one of the Procfile's scripts, the image runs as a non-root user, installs
exactly the app lock file and carries no development dependencies."""

import stat
import subprocess
from pathlib import Path

import dockerfile
import pytest
import yaml
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
PROCESS_SCRIPTS = {"scripts/release", "scripts/web", "scripts/worker", "scripts/beat"}


def _instructions():
    return dockerfile.parse_file(str(ROOT / "Dockerfile"))


def _final_stage():
    instructions = _instructions()
    last_from = max(i for i, c in enumerate(instructions) if c.cmd == "FROM")
    return instructions[last_from:]


def _procfile() -> dict[str, str]:
    lines = (ROOT / "Procfile").read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip())


def _compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def _executable(path: str) -> bool:
    file = ROOT / path
    return file.is_file() and bool(file.stat().st_mode & stat.S_IXUSR)


def test_the_procfile_runs_one_script_per_process():
    assert _procfile() == {
        "web": "scripts/web",
        "worker": "scripts/worker default,reports,imports",
        "worker_messages": "scripts/worker messages",
        "beat": "scripts/beat",
        "release": "scripts/release",
    }


@pytest.mark.parametrize("script", sorted(PROCESS_SCRIPTS))
def test_each_process_script_is_executable_strict_bash(script):
    assert _executable(script), f"{script} is missing or not executable"
    text = (ROOT / script).read_text()
    assert text.startswith("#!/usr/bin/env bash\n")
    assert "set -euo pipefail" in text
    syntax = subprocess.run(["bash", "-n", ROOT / script], capture_output=True, text=True)
    assert syntax.returncode == 0, syntax.stderr


def test_the_image_runs_the_web_script_as_a_non_root_user():
    final = _final_stage()
    users = [c.value[0] for c in final if c.cmd == "USER"]
    assert users, "the final stage must set USER"
    assert users[-1].split(":")[0] not in {"root", "0"}
    last_user = max(i for i, c in enumerate(final) if c.cmd == "USER")
    assert not [c for c in final[last_user:] if c.cmd == "RUN"], "nothing runs as root after USER"
    cmd = next(c for c in reversed(final) if c.cmd == "CMD")
    assert cmd.json and list(cmd.value) == ["scripts/web"]
    assert not [c for c in final if c.cmd == "ENTRYPOINT"]


def test_every_script_the_image_runs_exists():
    for command in _instructions():
        if command.cmd not in {"RUN", "CMD"}:
            continue
        for word in " ".join(command.value).split():
            if word.startswith("scripts/"):
                assert (ROOT / word).is_file(), f"{command.original} names a missing {word}"
                if command.cmd == "CMD":
                    assert _executable(word)


def test_the_image_installs_exactly_the_app_lock_file():
    instructions = _instructions()
    installs = [c.value[0] for c in instructions if c.cmd == "RUN" and "pip install" in c.value[0]]
    assert installs == ["/opt/venv/bin/pip install --require-hashes -r /tmp/requirements/app.txt"]
    copied = [c.value for c in instructions if c.cmd == "COPY"]
    assert ("requirements/app.txt", "/tmp/requirements/app.txt") in copied
    settings_env = [c for c in _final_stage() if c.cmd == "ENV"]
    pairs = dict(zip(settings_env[0].value[::2], settings_env[0].value[1::2], strict=True))
    assert pairs["DJANGO_SETTINGS_MODULE"] == "talkingmoves.settings.production"


def test_the_image_carries_no_development_dependencies():
    instructions = _instructions()
    text = "\n".join(c.original for c in instructions)
    assert "requirements/dev.txt" not in text
    assert "--group" not in text  # groups from pyproject.toml would bypass the lock file
    npm = [c.value[0] for c in instructions if c.cmd == "RUN" and "npm " in c.value[0]]
    assert npm and all("npm ci --omit=dev" in run for run in npm)
    final_sources = {
        source
        for c in _final_stage()
        if c.cmd == "COPY" and not any(f.startswith("--from=") for f in c.flags)
        for source in c.value[:-1]
    }
    assert not final_sources & {".", "tests", "bench", "node_modules", "requirements", ".venv"}
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {".git", ".venv", ".env", "node_modules", "tests", "requirements/dev.txt"} <= ignored


def test_the_image_copies_every_project_package_the_settings_install():
    final_sources = {source for c in _final_stage() if c.cmd == "COPY" for source in c.value[:-1]}
    ours = {app.split(".")[0] for app in settings.INSTALLED_APPS}
    ours = {name for name in ours if (ROOT / name).is_dir()}
    assert ours <= final_sources, f"COPY these into the image: {sorted(ours - final_sources)}"
    assert {"templates", "static", "scripts", "manage.py"} <= final_sources


def test_compose_runs_the_same_scripts():
    services = _compose()["services"]
    app_services = {name: s for name, s in services.items() if "build" in s}
    commands = {name: s["command"] for name, s in app_services.items()}
    procfile = {name: line.split() for name, line in _procfile().items()}
    assert commands == procfile  # the same processes, the same arguments
    assert {"db", "redis"} <= set(services)
    for name in ("web", "worker", "worker_messages", "beat"):
        assert services[name]["depends_on"]["release"]["condition"] == (
            "service_completed_successfully"
        )
    assert "replicas" not in str(services["beat"].get("deploy", {}))


def test_compose_stops_when_a_required_value_is_missing():
    environment = _compose()["x-app"]["environment"]
    for name in ("SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL"):
        assert environment[name].startswith(f"${{{name}:?"), name
