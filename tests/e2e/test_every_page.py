"""Every main page of every role, on a phone and on a desktop, under the real content security
policy: no console error, no failed request, no CSP violation, and a header that fits.

The shared `page` fixture bypasses the CSP (to inject axe-core); this module opens its own
context without that, so a blocked font or script shows here as it would for a user."""

import pytest
from django.urls import reverse

from talkingmoves.accounts.roles import Role
from talkingmoves.core.navigation import ADMIN_NAVIGATION, ROLE_NAVIGATION
from tests.e2e.conftest import sign_in

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
WIDTHS = (PHONE, DESKTOP)

# Who signs in for each role in the demo data, and whether they pass two-factor.
CAST = {
    "clinician": ("clinician@demo.test", True, ROLE_NAVIGATION[Role.CLINICIAN]),
    "lead": ("lead@demo.test", True, ROLE_NAVIGATION[Role.SERVICE_LEAD]),
    "partnership": ("partnership@demo.test", False, ROLE_NAVIGATION[Role.PARTNERSHIP_STAFF]),
    "provider": ("provider@demo.test", False, ROLE_NAVIGATION[Role.PROVIDER_STAFF]),
    "admin": ("admin@demo.test", True, ADMIN_NAVIGATION),
}
PUBLIC_PAGES = ("core:accessibility", "core:privacy", "accounts:login")

# Runs before any page script: CSP violations reach the page as events, which nothing logs.
RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI}`);
});
"""

# Anything in the header drawn past the right edge of the window, by its text.
HEADER_OVERFLOW = """
() => [...document.querySelectorAll(".nhsuk-header *")]
  .filter((element) => {
    const box = element.getBoundingClientRect();
    return box.width > 0 && box.right > document.documentElement.clientWidth + 1;
  })
  .map((element) => `${element.tagName.toLowerCase()} "${element.textContent.trim().slice(0, 30)}"`)
"""

# How far the page as a whole runs past the window (wide tables scroll inside their own box).
PAGE_OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


class Problems:
    """What went wrong while a page loaded, named by the page and the window width."""

    def __init__(self, page):
        self.found: list[str] = []
        self.where = ""
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.found.append(f"{self.where}: script {error}"))
        page.on("requestfailed", self._request_failed)
        page.on("response", self._response)

    def _console(self, message):
        if message.type == "error":
            source = message.location.get("url", "")
            self.found.append(f"{self.where}: console {message.text} {source}".rstrip())

    def _request_failed(self, request):
        if request.failure == "net::ERR_ABORTED":
            return  # the browser cancelled it (the test moved to the next page), not a failure
        self.found.append(f"{self.where}: request failed {request.url} ({request.failure})")

    def _response(self, response):
        if response.status >= 400:
            self.found.append(f"{self.where}: {response.status} for {response.url}")


def visit(page, problems, url, width, *, with_search_text=True):
    problems.where = f"{url} at {width['width']} px"
    page.set_viewport_size(width)
    page.goto(url)
    page.wait_for_load_state("load")
    if with_search_text:
        # A search box draws its clear icon only once it holds text.
        for box in page.locator("input[type=search]").all():
            box.fill("a")
    violations = page.evaluate("window.__cspViolations")
    problems.found.extend(f"{problems.where}: CSP {violation}" for violation in violations)


def assert_more_menu_reaches_every_item(page, problems, navigation):
    """On a phone the items that do not fit move under "More"; each must still be reachable."""
    toggle = page.locator(".nhsuk-header__menu-toggle")
    if not toggle.is_visible():
        return
    toggle.click()
    page.locator(".nhsuk-header__menu-list").wait_for(state="visible")
    for item in navigation:
        link = page.locator(f".nhsuk-header__navigation a[href='{item.url}']")
        if not link.is_visible():
            problems.found.append(f"{problems.where}: {item.label} not reachable from More")
    assert_header_fits(page, problems)
    toggle.click()


def assert_header_fits(page, problems):
    from playwright.sync_api import TimeoutError as Timeout

    try:
        # The header's script moves what does not fit into "More" as the layout settles.
        page.wait_for_function(f"({HEADER_OVERFLOW})().length === 0", timeout=3_000)
    except Timeout:  # report what overflows instead
        problems.found.append(
            f"{problems.where}: header overflows {page.evaluate(HEADER_OVERFLOW)}"
        )


@pytest.fixture
def strict_page(browser):
    context = browser.new_context()
    context.add_init_script(RECORD_CSP_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.mark.parametrize("role", CAST)
def test_every_main_page_loads_cleanly_at_phone_and_desktop_width(
    strict_page, live_server, demo_data, role
):
    email, two_factor, navigation = CAST[role]
    problems = Problems(strict_page)
    sign_in(strict_page, live_server.url, email, two_factor=two_factor)
    assert "/account/" not in strict_page.url, f"{role} did not sign in"
    problems.found.clear()  # signing in is checked by the public pages below

    for item in navigation:
        for width in WIDTHS:
            visit(strict_page, problems, f"{live_server.url}{item.url}", width)
            if width is PHONE:
                assert_header_fits(strict_page, problems)
                assert_more_menu_reaches_every_item(strict_page, problems, navigation)
            problems.found.extend(
                f"{problems.where}: page {overflow} px wider than the window"
                for overflow in [strict_page.evaluate(PAGE_OVERFLOW)]
                if overflow > 0
            )

    assert problems.found == [], f"{role}:\n" + "\n".join(problems.found)


def test_public_and_error_pages_load_cleanly(strict_page, live_server, transactional_db):
    problems = Problems(strict_page)
    for name in PUBLIC_PAGES:
        for width in WIDTHS:
            visit(strict_page, problems, f"{live_server.url}{reverse(name)}", width)
            if width is PHONE:
                assert_header_fits(strict_page, problems)

    missing = f"{live_server.url}/no-such-page/"
    for width in WIDTHS:
        visit(strict_page, problems, missing, width)
    # The page's own 404 is the point; everything it loads must still succeed.
    expected = {
        f"{missing} at {width['width']} px: {problem}"
        for width in WIDTHS
        for problem in (
            f"404 for {missing}",
            f"console Failed to load resource: the server responded with a status of 404 "
            f"(Not Found) {missing}",
        )
    }
    assert set(problems.found) == expected, "\n".join(sorted(set(problems.found) - expected))
