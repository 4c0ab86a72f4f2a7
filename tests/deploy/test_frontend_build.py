"""The NHS.UK frontend as scripts/copy-frontend.mjs vendors it works under our content security
policy: no font from assets.nhs.uk (font-src 'self'), and every url() in the CSS names a file
copied beside it (the production storage fingerprints them; a root path would 404)."""

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def vendored(tmp_path_factory):
    target = tmp_path_factory.mktemp("vendor")
    built = subprocess.run(
        ["node", "scripts/copy-frontend.mjs", str(target)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert built.returncode == 0, built.stderr
    return target / "nhsuk-frontend"


def test_css_asks_no_other_host_for_fonts(vendored):
    css = (vendored / "nhsuk-frontend.min.css").read_text()
    assert "assets.nhs.uk" not in css
    assert "@font-face" not in css


def test_every_url_in_the_css_is_a_file_beside_it(vendored):
    css = (vendored / "nhsuk-frontend.min.css").read_text()
    urls = set(re.findall(r"url\(([^)]+)\)", css))
    assert urls, "the CSS names its icons"
    for url in urls:
        assert not url.startswith(("/", "http")), url
        assert (vendored / url).is_file(), url


def test_css_still_names_its_source_map(vendored):
    css = (vendored / "nhsuk-frontend.min.css").read_text()
    assert css.rstrip().endswith("/*# sourceMappingURL=nhsuk-frontend.min.css.map */")
