"""Issue 16's "done means" for accounts: in the browser a lead invites a clinician, who opens
the emailed link, chooses a password and signs in with a new authenticator."""

import re
from base64 import b32decode

from django_otp.oath import TOTP

from talkingmoves.notify.models import StoredMessage
from tests.e2e.conftest import assert_no_axe_violations, sign_in


def test_lead_invites_a_clinician_who_signs_in_with_a_new_authenticator(
    page, browser, live_server, demo_data
):
    sign_in(page, live_server.url, "lead@demo.test", two_factor=True)
    page.get_by_role("link", name="Team", exact=True).first.click()
    page.wait_for_url("**/account/team/")
    assert_no_axe_violations(page)

    page.get_by_role("button", name="Invite someone").click()
    page.wait_for_url("**/account/team/invite/")
    page.fill("input[name=full_name]", "Robin Newstarter")
    page.fill("input[name=email]", "robin.newstarter@demo.test")
    page.get_by_label("Clinician", exact=True).check()
    assert_no_axe_violations(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Send invitation").click()
    assert "Invitation sent to robin.newstarter@demo.test" in page.content()

    body = StoredMessage.objects.get(recipient="robin.newstarter@demo.test").personalisation["body"]
    link = re.search(r"(/account/invitation/[^/\s]+/)", body).group(1)

    # The new clinician, in their own browser.
    context = browser.new_context(bypass_csp=True)  # to inject axe-core, as `page` does
    newcomer = context.new_page()
    newcomer.goto(f"{live_server.url}{link}")
    assert newcomer.locator("h1").inner_text() == "Set up your account"
    assert_no_axe_violations(newcomer)
    newcomer.fill("input[name=new_password1]", "robin-chooses-a-long-password")
    newcomer.fill("input[name=new_password2]", "robin-chooses-a-long-password")
    with newcomer.expect_navigation():
        newcomer.get_by_role("button", name="Set password and continue").click()

    assert newcomer.locator("h1").inner_text() == "Set up two-factor authentication"
    newcomer.locator(".nhsuk-details__summary").click()
    secret = re.sub(r"\s", "", newcomer.locator("#totp-secret").inner_text())
    newcomer.fill("input[name=token]", f"{TOTP(b32decode(secret)).token():06d}")
    with newcomer.expect_navigation():
        newcomer.press("input[name=token]", "Enter")
    assert "Save your recovery codes" in newcomer.content()

    # The link is spent.
    newcomer.goto(f"{live_server.url}{link}")
    assert newcomer.locator("h1").inner_text() == "This invitation has already been used"
    context.close()
