"""Browser journeys: Playwright for Python driving Debian's Chromium, with axe-core."""

import json
import os
import time
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.e2e import demo_snapshot

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django's guard against using
    # the ORM from async code would otherwise refuse the test's own database calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: run scripts/ensure-chromium (make test does this)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def page(browser):
    # bypass_csp lets the test inject axe-core; the app's own pages never need inline script.
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def demo_data(transactional_db):
    """The demo, as `make run` seeds it. Seeding takes 10-20 s, so on PostgreSQL the first test
    of each worker (and day) seeds and copies every table out; later tests copy them back in."""
    demo_snapshot.restore_or_seed(
        lambda: call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    )


def assert_no_axe_violations(page):
    page.add_script_tag(path=str(AXE_SCRIPT))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        AXE_TAGS,
    )
    violations = [
        {
            "id": violation["id"],
            "help": violation["help"],
            "targets": [node["target"] for node in violation["nodes"]][:5],
        }
        for violation in result["violations"]
    ]
    assert violations == [], f"{page.url}: {json.dumps(violations, indent=2)}"


DEMO_PASSWORD = "TalkingMoves-demo-1"
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXP"


def sign_in(page, base_url, email, *, password=DEMO_PASSWORD, two_factor=False):
    """Sign in through the real forms (and the two-factor page, with the demo secret)."""
    from base64 import b32decode

    from django_otp.oath import TOTP

    page.context.clear_cookies()
    page.goto(f"{base_url}/account/sign-in/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.press("input[name=password]", "Enter")
    if two_factor:
        page.fill("input[name=token]", f"{TOTP(b32decode(DEMO_TOTP_SECRET)).token():06d}")
        with page.expect_navigation():
            page.press("input[name=token]", "Enter")
        if "/account/two-factor/" in page.url:
            # django-otp refuses a code used once already (replay protection): signing the
            # same person in twice within 30 seconds needs the next code.
            time.sleep(30 - time.time() % 30 + 1)
            page.fill("input[name=token]", f"{TOTP(b32decode(DEMO_TOTP_SECRET)).token():06d}")
            with page.expect_navigation():
                page.press("input[name=token]", "Enter")
