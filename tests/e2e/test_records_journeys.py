"""Service-user record journeys in the browser: add a person (errors first), record consent
and a PAR-Q+ screening, each page checked with axe."""

from referrals.models import Screening, ServiceUser
from tests.e2e.conftest import assert_no_axe_violations, sign_in

PASSWORD = "TalkingMoves-demo-1"


def test_clinician_adds_a_person_then_consent_and_screening(page, live_server, demo_data):
    base = live_server.url
    sign_in(page, base, "clinician@demo.test", two_factor=True)
    page.goto(f"{base}/service-users/")
    assert_no_axe_violations(page)

    page.goto(f"{base}/service-users/add/")
    assert_no_axe_violations(page)
    page.fill("input[name=nhs_number]", "999 000 0019")
    page.fill("input[name=given_name]", "Robin")
    page.fill("input[name=family_name]", "Keyboard")
    page.fill("input[name=date_of_birth-day]", "1")
    page.fill("input[name=date_of_birth-month]", "2")
    page.fill("input[name=date_of_birth-year]", "2030")
    page.fill("input[name=email]", "robin@example.com")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    summary = page.locator(".nhsuk-error-summary").inner_text()
    assert "Enter a valid NHS number" in summary
    assert "Date of birth must be today or in the past" in summary
    assert page.title().startswith("Error:")
    assert page.input_value("input[name=given_name]") == "Robin"
    assert_no_axe_violations(page)

    page.fill("input[name=nhs_number]", "999 000 0018")
    page.fill("input[name=date_of_birth-year]", "1990")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    person = ServiceUser.objects.get(family_name="Keyboard")
    assert page.url.endswith(f"/service-users/{person.public_id}/")
    assert "Robin Keyboard" in page.locator("h1").inner_text()
    assert_no_axe_violations(page)

    with page.expect_navigation():
        page.click("button:has-text('Record consent to share their details')")
    assert "Consent to share their details with a provider recorded" in page.content()
    person.refresh_from_db()
    assert person.consent_share_at is not None

    page.goto(f"{base}/service-users/{person.public_id}/screening/")
    assert_no_axe_violations(page)
    for n in range(1, 8):
        page.check(f"input[name=q{n}][value={'yes' if n == 1 else 'no'}]")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    screening = Screening.objects.get(service_user=person)
    assert screening.outcome == Screening.Outcome.ADVICE_NEEDED

    page.goto(f"{base}/service-users/{person.public_id}/screening/{screening.public_id}/resolve/")
    assert_no_axe_violations(page)
    page.check("input[name=resolution][value=discussed_cleared]")
    page.fill("textarea[name=note]", "Blood pressure controlled; start gently")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert_no_axe_violations(page)
    screening.refresh_from_db()
    assert screening.resolution == Screening.Resolution.DISCUSSED_AND_CLEARED
