"""Referral journeys in the browser: a clinician refers by keyboard, the provider accepts from
the inbox, and the signed link page; each page checked with axe."""

import pytest
from django.utils import timezone

from referrals.inbox import links
from referrals.models import Referral
from referrals.pathway import services
from tests import factories
from tests.e2e.conftest import assert_no_axe_violations, sign_in
from tests.providers.factories import ActivityFactory, ProviderFactory, VenueFactory
from tests.referrals.factories import ServiceUserFactory


@pytest.fixture
def world(transactional_db):
    service = factories.TalkingTherapiesServiceFactory(name="Riverside NHS Talking Therapies")
    clinician = factories.ClinicianFactory(organisation=service, email="clin@e2e.test")
    factories.totp_device_for(clinician)
    provider_org = factories.ProviderOrganisationFactory(name="Riverside Leisure")
    provider_user = factories.ProviderStaffFactory(
        organisation=provider_org, email="provider@e2e.test"
    )
    activity = ActivityFactory(
        venue=VenueFactory(provider=ProviderFactory(organisation=provider_org)),
        name="Park walk",
        takes_referrals=True,
        referral_email="referrals@example.org",
    )
    person = ServiceUserFactory(
        service=service,
        assigned_clinician=clinician,
        given_name="Alex",
        family_name="Moss",
        ready_to_refer=True,
    )
    return {
        "clinician": clinician,
        "provider": provider_user,
        "activity": activity,
        "person": person,
    }


def test_clinician_refers_by_keyboard(page, live_server, world):
    person, activity = world["person"], world["activity"]
    sign_in(
        page, live_server.url, "clin@e2e.test", password=factories.TEST_PASSWORD, two_factor=True
    )
    page.goto(f"{live_server.url}/service-users/{person.public_id}/refer/{activity.public_id}/")
    assert_no_axe_violations(page)

    page.focus("textarea[name=goal]")
    page.keyboard.type("Walk twice a week")
    page.focus("main button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.title().startswith("Error:")
    assert "Enter what they would enjoy" in page.locator(".nhsuk-error-summary").inner_text()
    assert_no_axe_violations(page)

    page.focus("textarea[name=what_they_would_enjoy]")
    page.keyboard.type("Being outdoors")
    page.focus("input[name=accompanied_first_visit][value=no]")
    page.keyboard.press("Space")
    page.focus("main button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Referral sent" in page.locator("main").inner_text()
    assert Referral.objects.get().status == Referral.Status.SENT
    assert_no_axe_violations(page)


def test_provider_accepts_from_the_inbox(page, live_server, world):
    referral = services.referral_create(
        service_user=world["person"],
        activity=world["activity"],
        kind="refer",
        by=world["clinician"],
        goal="Walk twice a week",
    )
    services.referral_send(referral=referral, by=world["clinician"])
    sign_in(page, live_server.url, "provider@e2e.test", password=factories.TEST_PASSWORD)
    page.goto(f"{live_server.url}/service-users/inbox/")
    assert_no_axe_violations(page)
    with page.expect_navigation():
        page.click("text=Alex Moss")
    assert_no_axe_violations(page)

    day = timezone.localdate()
    page.fill("input[name=accept-first_session_date-day]", str(day.day))
    page.fill("input[name=accept-first_session_date-month]", str(day.month))
    page.fill("input[name=accept-first_session_date-year]", str(day.year))
    page.fill("input[name=accept-first_session_time]", "23:59")
    with page.expect_navigation():
        page.click("button[value=accept]")
    assert "Referral accepted" in page.locator("main").inner_text()
    assert_no_axe_violations(page)


def test_signed_link_page_is_accessible(page, live_server, world):
    referral = services.referral_create(
        service_user=world["person"],
        activity=world["activity"],
        kind="refer",
        by=world["clinician"],
    )
    services.referral_send(referral=referral, by=world["clinician"])
    page.goto(
        f"{live_server.url}/service-users/inbox/answer/{links.provider_link_token(referral)}/"
    )
    assert "Alex Moss" in page.locator("h1").inner_text()
    assert_no_axe_violations(page)
