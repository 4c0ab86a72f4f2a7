"""A service user answers "Did you manage to go?" on a phone-sized screen (375px), with no
account; their clinician then sees the answer on the record. Each page checked with axe."""

from django.core.cache import cache

from referrals.models import Attendance, Referral
from referrals.nudges import links
from referrals.nudges.models import Nudge
from tests.e2e.conftest import assert_no_axe_violations, sign_in

PHONE = {"width": 375, "height": 740}


def _no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_service_user_answers_i_went_on_a_phone(browser, live_server, demo_data):
    cache.clear()
    nudge = (
        Nudge.objects.filter(template="did_you_go", referral__status=Referral.Status.ACCEPTED)
        .select_related("referral__service_user")
        .first()
    )
    assert nudge is not None, "the demo data has an accepted referral with a did-you-go message"
    person = nudge.referral.service_user
    context = browser.new_context(viewport=PHONE, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    base = live_server.url

    page.goto(f"{base}{links.answer_path(nudge)}")
    assert "Did you manage to go to" in page.locator("h1").inner_text()
    assert person.family_name not in page.content()
    _no_sideways_scroll(page)
    assert_no_axe_violations(page)

    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "Select an answer" in page.locator(".nhsuk-error-summary").inner_text()
    assert page.title().startswith("Error:")
    _no_sideways_scroll(page)
    assert_no_axe_violations(page)

    page.check("input[name=answer][value=went]")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "We have let your practitioner know you went" in page.content()
    _no_sideways_scroll(page)
    assert_no_axe_violations(page)
    assert Attendance.objects.filter(referral=nudge.referral, source="self_reported").exists()
    context.close()

    clinician = browser.new_context(bypass_csp=True).new_page()
    sign_in(clinician, base, person.assigned_clinician.email, two_factor=True)
    clinician.goto(f"{base}/service-users/{person.public_id}/#messages")
    assert "Answered: I went" in clinician.locator("#messages ~ ul").first.inner_text()
    assert_no_axe_violations(clinician)
    clinician.context.close()
    cache.clear()


def test_lead_reads_messages_changes_the_schedule_and_reads_the_outbox(
    page, live_server, demo_data
):
    from referrals.nudges.models import NudgeSetting

    base = live_server.url
    sign_in(page, base, "lead@demo.test", two_factor=True)
    with page.expect_navigation():
        page.click("nav[aria-label=Menu] a:has-text('Messages')")
    assert page.locator("h1").inner_text() == "Messages"
    assert_no_axe_violations(page)

    page.goto(f"{base}/nudges/schedule/")
    assert_no_axe_violations(page)
    page.fill("input[name=did_you_go-offset_days]", "120")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "Day must be between 0 and 90" in page.locator(".nhsuk-error-summary").inner_text()
    assert page.input_value("input[name=did_you_go-offset_days]") == "120"
    assert not NudgeSetting.objects.exists()
    assert_no_axe_violations(page)
    page.fill("input[name=did_you_go-offset_days]", "10")
    page.check("input[name=getting_active-enabled][value=on]")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "Message schedule saved" in page.content()
    assert NudgeSetting.objects.get(template="did_you_go").offset_days == 10

    page.goto(f"{base}/nudges/outbox/")
    assert page.locator("h1").inner_text() == "Stored messages"
    assert_no_axe_violations(page)
