"""The whole pathway in the browser, on the demo data: a clinician goes from a record to a
sent referral in three clicks without retyping anything, the provider accepts and records
attendance, and the clinician sees it on the record."""

from django.utils import timezone

from providers.models import ActivityType
from referrals.models import Attendance, Referral
from talkingmoves.accounts.models import Organisation, User
from tests.e2e.conftest import assert_no_axe_violations, sign_in
from tests.referrals.factories import ServiceUserFactory

PASSWORD = "TalkingMoves-demo-1"


def test_record_to_referral_to_attendance_and_back(page, live_server, demo_data):
    clinician = User.objects.get(email="clinician@demo.test")
    person = ServiceUserFactory(
        service=Organisation.objects.get(name="Riverside NHS Talking Therapies"),
        assigned_clinician=clinician,
        given_name="Jamie",
        family_name="Walker",
        postcode="LS1 4AP",
        interests=[ActivityType.objects.get(label="Swimming").pk],
        prefers_cost="",
        max_travel_km=5,
        ready_to_refer=True,
    )

    sign_in(page, live_server.url, "clinician@demo.test", two_factor=True)
    page.goto(f"{live_server.url}/service-users/{person.public_id}/")
    clicks = 0
    with page.expect_navigation():
        page.click("main a:has-text('Find activities')")
        clicks += 1
    assert page.locator("input[name=postcode]").input_value() == "LS1 4AP"  # nothing retyped
    assert_no_axe_violations(page)
    result = page.locator(".tm-results > li", has_text="Gentle swim for beginners")
    with page.expect_navigation():
        result.locator("a:has-text('Refer')").first.click()
        clicks += 1
    page.fill("textarea[name=what_they_would_enjoy]", "Quiet swimming")
    page.fill("textarea[name=goal]", "Swim once a week")
    page.check("input[name=accompanied_first_visit][value=no]")
    with page.expect_navigation():
        page.click("main button[type=submit]")
        clicks += 1
    assert "Referral sent" in page.locator("main").inner_text()
    assert clicks <= 5
    referral = Referral.objects.get(service_user=person)
    assert referral.status == Referral.Status.SENT

    sign_in(page, live_server.url, "provider@demo.test")
    page.goto(f"{live_server.url}/service-users/inbox/")
    with page.expect_navigation():
        page.click("text=Jamie Walker")
    content = page.locator("main").inner_text()
    assert "Quiet swimming" in content
    assert person.nhs_number_display not in content  # nothing clinical for the provider
    day = timezone.localdate()
    page.fill("input[name=accept-first_session_date-day]", str(day.day))
    page.fill("input[name=accept-first_session_date-month]", str(day.month))
    page.fill("input[name=accept-first_session_date-year]", str(day.year))
    page.fill("input[name=accept-first_session_time]", "10:00")
    with page.expect_navigation():
        page.click("button[value=accept]")
    page.fill("input[name=attendance-session_date-day]", str(day.day))
    page.fill("input[name=attendance-session_date-month]", str(day.month))
    page.fill("input[name=attendance-session_date-year]", str(day.year))
    page.check("input[name=attendance-status][value=attended]")
    with page.expect_navigation():
        page.click("button:has-text('Record attendance')")
    assert_no_axe_violations(page)
    assert Attendance.objects.filter(referral=referral, status="attended").exists()

    sign_in(page, live_server.url, "clinician@demo.test", two_factor=True)
    page.goto(f"{live_server.url}/service-users/{person.public_id}/")
    timeline = page.locator("main").inner_text()
    assert "Attending" in timeline
    assert "Session: attended" in timeline
    assert_no_axe_violations(page)
