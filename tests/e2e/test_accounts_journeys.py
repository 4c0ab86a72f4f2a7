import re
from base64 import b32decode

from django_otp.oath import TOTP

from tests.e2e.conftest import assert_no_axe_violations
from tests.factories import TEST_PASSWORD, ClinicianFactory, TalkingTherapiesServiceFactory

DEMO_PASSWORD = "TalkingMoves-demo-1"
DEMO_SECRET = "JBSWY3DPEHPK3PXP"
HOME_HEADINGS = {
    "clinician@demo.test": "Help people get moving",
    "lead@demo.test": "Riverside NHS Talking Therapies",
    "partnership@demo.test": "Active Riverside Partnership",
    "provider@demo.test": "Riverside Leisure Centre",
    "admin@demo.test": "Administration",
}


def _code(secret_base32: str) -> str:
    return f"{TOTP(b32decode(secret_base32)).token():06d}"


def _tab_to(page, selector: str, limit: int = 30):
    """Press Tab until `selector` has focus, as a keyboard user would."""
    for _ in range(limit):
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"could not reach {selector} with the Tab key")


def _sign_in_by_keyboard(page, base_url, email, password):
    page.goto(f"{base_url}/account/sign-in/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('nhsuk-skip-link')")
    page.keyboard.press("Tab")
    _tab_to(page, "input[name=username]")
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_sign_in_page_is_accessible_and_shows_errors(page, live_server, demo_data):
    page.goto(f"{live_server.url}/account/sign-in/")
    assert page.title().startswith("Sign in")
    assert_no_axe_violations(page)

    page.click("button[type=submit]")
    summary = page.locator(".nhsuk-error-summary")
    summary.wait_for()
    assert "Enter your email address" in summary.inner_text()
    # The summary takes focus, and its links lead to the fields.
    assert page.evaluate("document.activeElement.closest('.nhsuk-error-summary') !== null")
    assert_no_axe_violations(page)


def test_every_role_signs_in_by_keyboard_and_home_is_accessible(page, live_server, demo_data):
    for email, heading in HOME_HEADINGS.items():
        page.context.clear_cookies()
        _sign_in_by_keyboard(page, live_server.url, email, DEMO_PASSWORD)
        if "/account/two-factor/" in page.url:
            assert_no_axe_violations(page)
            _tab_to(page, "input[name=token]")
            page.keyboard.type(_code(DEMO_SECRET))
            with page.expect_navigation():
                page.keyboard.press("Enter")
        assert page.locator("h1").inner_text() == heading, f"{email} at {page.url}"
        assert_no_axe_violations(page)


def test_two_factor_enrolment_by_keyboard(page, live_server, transactional_db):
    clinician = ClinicianFactory(
        organisation=TalkingTherapiesServiceFactory(), email="new.clinician@example.nhs.uk"
    )
    _sign_in_by_keyboard(page, live_server.url, clinician.email, TEST_PASSWORD)
    assert page.locator("h1").inner_text() == "Set up two-factor authentication"
    assert page.locator(".tm-qr-code svg").is_visible()
    assert_no_axe_violations(page)

    _tab_to(page, ".nhsuk-details__summary")
    page.keyboard.press("Enter")
    secret = re.sub(r"\s", "", page.locator("#totp-secret").inner_text())
    _tab_to(page, "input[name=token]")
    page.keyboard.type(_code(secret))
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert "Save your recovery codes" in page.content()
    assert page.locator(".tm-recovery-codes li").count() == 10
    assert_no_axe_violations(page)
    _tab_to(page, "a.nhsuk-button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text() == "Help people get moving"


def test_idle_warning_lets_a_keyboard_user_stay_signed_in(page, live_server, demo_data, settings):
    settings.IDLE_WARNING_SECONDS = 2
    settings.IDLE_TIMEOUT_SECONDS = 30
    _sign_in_by_keyboard(page, live_server.url, "partnership@demo.test", DEMO_PASSWORD)
    dialog = page.locator("#idle-warning")
    dialog.wait_for(state="visible", timeout=5_000)
    assert "You will be signed out soon" in dialog.inner_text()
    assert_no_axe_violations(page)
    # The modal dialog takes focus; Enter on its first button keeps the session.
    _tab_to(page, "#idle-warning [data-keep-alive] button")
    page.keyboard.press("Enter")
    dialog.wait_for(state="hidden")
    page.reload()
    assert page.locator("h1").inner_text() == "Active Riverside Partnership"


def test_public_pages_are_accessible(page, live_server, transactional_db):
    for path in ("/account/password-reset/", "/accessibility/", "/privacy/"):
        page.goto(f"{live_server.url}{path}")
        assert_no_axe_violations(page)
