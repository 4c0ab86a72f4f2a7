"""docs/configuration.md is the one list of environment variables: every variable the settings
or the process scripts read is in it. docs/deploy.md links only to files in the repository."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONFIGURATION = (ROOT / "docs" / "configuration.md").read_text()
# Read by base.py but used nowhere yet; documented when something uses it.
UNUSED = {"DEBUG_TOOLBAR"}
SHELL = {"BASH_SOURCE"}


def _settings_variables() -> set[str]:
    pattern = re.compile(r'env_(?:str|int|bool|list|choice)\(\s*"([A-Z0-9_]+)"')
    return {
        name
        for path in (ROOT / "talkingmoves" / "settings").glob("*.py")
        for name in pattern.findall(path.read_text())
    }


def _script_variables() -> set[str]:
    pattern = re.compile(r"\$\{([A-Z][A-Z0-9_]+)")
    scripts = [ROOT / "scripts" / name for name in ("release", "web", "worker", "beat")]
    scripts.append(ROOT / "scripts" / "lib" / "process.sh")
    return {name for path in scripts for name in pattern.findall(path.read_text())}


@pytest.mark.parametrize(
    "name", sorted((_settings_variables() | _script_variables()) - UNUSED - SHELL)
)
def test_every_variable_is_documented(name):
    assert f"| `{name}` |" in CONFIGURATION, f"add {name} to docs/configuration.md"


@pytest.mark.parametrize("doc", ["deploy.md", "configuration.md"])
def test_links_stay_inside_the_repository(doc):
    for target in re.findall(r"\]\(([^)]+)\)", (ROOT / "docs" / doc).read_text()):
        assert "://" not in target, f"{doc} links outside the repository: {target}"
        assert (ROOT / "docs" / target.split("#")[0]).exists(), f"{doc}: no file {target}"
