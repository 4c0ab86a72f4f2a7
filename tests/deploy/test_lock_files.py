"""The lock files (requirements/*.txt, made by `make lock`) match pyproject.toml: every
dependency pinned, with hashes, the same version in both, and no dev tool in the image's."""

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
# name, its extras if any (`make lock` keeps them, so pip's hash mode sees them pinned), version
PIN = re.compile(r"^([A-Za-z0-9._-]+)(?:\[[A-Za-z0-9._,-]+\])?==([^\s;\\]+)")


def _groups() -> dict[str, list[Requirement]]:
    groups = tomllib.loads((ROOT / "pyproject.toml").read_text())["dependency-groups"]
    return {name: [Requirement(r) for r in reqs] for name, reqs in groups.items()}


def _entries(lock: str) -> list[str]:
    """Each requirement with its continuation lines, comments dropped."""
    text = (ROOT / "requirements" / lock).read_text()
    joined = re.sub(r"\\\n\s*", " ", text)
    return [line for line in joined.splitlines() if line and not line.lstrip().startswith("#")]


def _pins(lock: str) -> dict[str, str]:
    pins = {}
    for entry in _entries(lock):
        match = PIN.match(entry)
        assert match, f"{lock}: not an exact pin: {entry[:80]}"
        pins[canonicalize_name(match[1])] = match[2]
    return pins


@pytest.mark.parametrize(("lock", "groups"), [("app.txt", ["app"]), ("dev.txt", ["app", "dev"])])
def test_every_dependency_is_pinned_within_its_range(lock, groups):
    pins = _pins(lock)
    for group in groups:
        for requirement in _groups()[group]:
            name = canonicalize_name(requirement.name)
            assert name in pins, f"{requirement} is not in requirements/{lock}: run make lock"
            assert requirement.specifier.contains(pins[name], prereleases=True), (
                f"requirements/{lock} pins {name}=={pins[name]}, outside {requirement}: "
                "run make lock"
            )


@pytest.mark.parametrize("lock", ["app.txt", "dev.txt"])
def test_every_pin_has_hashes(lock):
    for entry in _entries(lock):
        assert "--hash=sha256:" in entry, f"{lock}: no hash for {entry[:60]}"


def test_the_image_lock_holds_no_dev_tools_and_agrees_with_dev():
    app, dev = _pins("app.txt"), _pins("dev.txt")
    dev_only = {canonicalize_name(r.name) for r in _groups()["dev"]} - {
        canonicalize_name(r.name) for r in _groups()["app"]
    }
    assert not dev_only & set(app), f"dev tools in requirements/app.txt: {dev_only & set(app)}"
    differ = {name: (v, dev.get(name)) for name, v in app.items() if dev.get(name) != v}
    assert not differ, f"app.txt and dev.txt disagree (run make lock): {differ}"


def test_install_uses_the_lock_file_with_hashes():
    makefile = (ROOT / "Makefile").read_text()
    assert "--require-hashes \\\n\t\t-r requirements/dev.txt" in makefile
    assert "$(VENV)/.installed: requirements/dev.txt" in makefile
    assert "--group" not in makefile.split("lock:")[0]  # only `make lock` reads the groups


def test_make_lock_keeps_extras():
    """pip 23 in hash mode refuses `cachecontrol[filecache]>=0.13` (pip-audit's) as not pinned
    when the lock says only `cachecontrol==...`: the extras must be in the pin."""
    assert "--no-strip-extras" in (ROOT / "Makefile").read_text()
    assert "cachecontrol[filecache]" in _pins_with_extras("dev.txt")


def _pins_with_extras(lock: str) -> set[str]:
    return {entry.split("==")[0] for entry in _entries(lock)}
