"""Issue 5's whole loop in the browser: a clinician sends a referral; with the clock moved
on a week, "Did you manage to go?" is in the local outbox; the service user answers "I went"
from its link on a phone; the clinician sees the self-reported session on the record."""

import re
from datetime import datetime, time, timedelta
from urllib.parse import urlparse

from django.core.management import call_command
from django.utils import timezone

from providers.models import ActivityType
from referrals.models import Attendance, Referral
from referrals.pathway import services
from talkingmoves.accounts.models import Organisation, Role, User
from talkingmoves.notify.models import StoredMessage
from tests.e2e.conftest import assert_no_axe_violations, sign_in
from tests.referrals.factories import ServiceUserFactory


def test_referral_to_did_you_go_to_self_reported_attendance(browser, page, live_server, demo_data):
    base = live_server.url
    clinician = User.objects.get(email="clinician@demo.test")
    person = ServiceUserFactory(
        service=Organisation.objects.get(name="Riverside NHS Talking Therapies"),
        assigned_clinician=clinician,
        given_name="Robin",
        family_name="Ashdown",
        postcode="LS1 4AP",
        interests=[ActivityType.objects.get(label="Swimming").pk],
        prefers_cost="",
        max_travel_km=5,
        ready_to_refer=True,
    )

    sign_in(page, base, "clinician@demo.test", two_factor=True)
    page.goto(f"{base}/service-users/{person.public_id}/")
    with page.expect_navigation():
        page.click("main a:has-text('Find activities')")
    result = page.locator(".tm-results > li", has_text="Gentle swim for beginners")
    with page.expect_navigation():
        result.locator("a:has-text('Refer')").first.click()
    page.fill("textarea[name=what_they_would_enjoy]", "Quiet swimming")
    page.fill("textarea[name=goal]", "Swim once a week")
    page.check("input[name=accompanied_first_visit][value=no]")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "Referral sent" in page.locator("main").inner_text()
    referral = Referral.objects.get(service_user=person)
    assert referral.status == Referral.Status.SENT

    provider_user = User.objects.filter(
        organisation=referral.activity.provider.organisation, role=Role.PROVIDER_STAFF
    ).first()
    services.referral_accept(referral=referral, by=provider_user, first_session_at=None)

    # Today's messages go (the referral's details), then the clock moves on a week: the
    # day-7 message falls due and goes to the local outbox.
    call_command("send_due_nudges")
    # One message a day: the acceptance confirmation waits for tomorrow, as the beat would
    # send it, before the day-7 question. Midday each time, so the test does not depend on
    # the hour it runs (before 10:00, "tomorrow at 10:00" is not yet due a day ahead).
    today = timezone.localdate()
    for days in (1, 8):
        midday = datetime.combine(today + timedelta(days=days), time(12, 0))
        call_command("send_due_nudges", "--as-of", midday.isoformat())
    did_you_go = referral.nudges.get(template="did_you_go")
    did_you_go.refresh_from_db()
    assert did_you_go.status == "sent"
    message = StoredMessage.objects.get(reference=str(did_you_go.pk))
    assert message.recipient == person.email

    sign_in(page, base, "lead@demo.test", two_factor=True)
    page.goto(f"{base}/nudges/outbox/")
    assert "Did you manage to go to Gentle swim for beginners?" in page.content()
    assert_no_axe_violations(page)

    link = re.search(r"https?://\S+/n/\S+/", message.personalisation["body"]).group(0)
    phone = browser.new_context(viewport={"width": 375, "height": 740}, bypass_csp=True)
    answer_page = phone.new_page()
    answer_page.goto(base + urlparse(link).path)
    answer_page.check("input[name=answer][value=went]")
    with answer_page.expect_navigation():
        answer_page.click("main button[type=submit]")
    assert "know you went" in answer_page.content()
    phone.close()

    attendance = Attendance.objects.get(referral=referral)
    assert attendance.source == Attendance.SOURCE_SELF_REPORTED
    referral.refresh_from_db()
    assert referral.status == Referral.Status.ATTENDING

    sign_in(page, base, "clinician@demo.test", two_factor=True)
    page.goto(f"{base}/service-users/{person.public_id}/")
    main = page.locator("main").inner_text()
    assert "Session: attended (self-reported by message)" in main
    assert "Answered: I went" in main
    assert_no_axe_violations(page)
