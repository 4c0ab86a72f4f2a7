"""Browser journey (issue 17): a clinician talks about being active, makes a plan (refused
first for a step that goes down), sends it; the person opens it on a 375px phone, answers a
week (refused first for 8 days), reads the easy-read version; the clinician prints it and
sees progress on the record; a weekly check-in's link opens the page at its week, and the
week-6 call task (the demo's plan six weeks on) opens that plan with its answers. No
accessibility violations on the way.

Set PLAN_SCREENSHOTS to a folder to keep a screenshot of each step."""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from outcomes.plans.models import ActivityPlan
from referrals.models import Screening, ServiceUser
from referrals.nudges.models import Nudge
from tests.e2e.conftest import assert_no_axe_violations, sign_in

SHOTS = os.environ.get("PLAN_SCREENSHOTS", "")


def _shot(page, name, *, full_page=True):
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / name), full_page=full_page)


@pytest.fixture
def phone(browser):
    context = browser.new_context(bypass_csp=True, viewport={"width": 375, "height": 740})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def _someone_without_a_plan():
    return (
        ServiceUser.objects.filter(
            assigned_clinician__email="clinician@demo.test",
            consent_email_at__isnull=False,
            activity_plans__isnull=True,
            nudges_stopped_at__isnull=True,
        )
        .exclude(email="")
        .exclude(screenings__outcome=Screening.Outcome.ADVICE_NEEDED)
        .order_by("pk")
        .first()
    )


def test_a_plan_from_conversation_to_progress(page, phone, live_server, demo_data):
    base = live_server.url
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
    person = _someone_without_a_plan()
    sign_in(page, base, "clinician@demo.test", two_factor=True)

    # The demo's plan: progress on the record, as a chart and its table.
    demo_plan = ActivityPlan.objects.filter(status="sent").order_by("-starts_on").first()
    page.goto(f"{base}/service-users/{demo_plan.service_user.public_id}/#being-active")
    section = page.locator("#being-active")
    assert section.is_visible()
    assert "Planned and reported, week by week" in page.content()
    assert_no_axe_violations(page)
    if SHOTS:
        page.locator("#being-active-section").screenshot(
            path=str(Path(SHOTS) / "01-record-being-active.png")
        )

    # The conversation.
    page.goto(f"{base}/outcomes/service-users/{person.public_id}/being-active/conversation/")
    assert page.locator("h1").inner_text() == "Talk about being active"
    assert_no_axe_violations(page)
    page.get_by_label("Walking").check()
    page.get_by_label("Confidence", exact=True).check()
    page.fill("input[name=confidence]", "6")
    page.get_by_label("Ready to start").check()
    page.get_by_label("With someone they know").check()
    _shot(page, "02-conversation.png")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the conversation").click()
    assert "Conversation saved" in page.content()

    # The plan: a step that goes down is refused, with the error summary.
    page.goto(f"{base}/outcomes/service-users/{person.public_id}/being-active/plan/")
    page.fill("input[name=week_3_minutes]", "5")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the plan").click()
    assert "There is a problem" in page.content()
    assert "Week 3 asks for less than week 2" in page.content()
    assert_no_axe_violations(page)
    _shot(page, "03-plan-form-with-errors.png")
    page.fill("input[name=week_3_minutes]", page.input_value("input[name=week_2_minutes]"))
    with page.expect_navigation():
        page.get_by_role("button", name="Save the plan").click()
    assert page.locator("h1").inner_text().startswith("Walking: goal 150 minutes a week")
    assert_no_axe_violations(page)
    with page.expect_navigation():
        page.get_by_role("button", name=f"Send the plan to {person.given_name}").click()
    assert "Plan sent" in page.content()

    # The person's page on their phone.
    link = Nudge.objects.get(template="personal_plan", service_user=person).link_path
    phone.goto(base + link)
    assert phone.locator("h1").inner_text().endswith("your plan for getting more active")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    assert_no_axe_violations(phone)
    _shot(phone, "04-phone-plan-page.png")
    phone.fill("input[name=days_done]", "8")
    phone.fill("input[name=minutes_a_day]", "10")
    with phone.expect_navigation():
        phone.get_by_role("button", name="Save my week").click()
    assert "Enter a number of days from 0 to 7" in phone.content()
    assert_no_axe_violations(phone)
    _shot(phone, "05-phone-check-in-error.png")
    week_1 = ActivityPlan.objects.get(service_user=person, status="sent").steps.get(week=1)
    phone.fill("input[name=days_done]", str(week_1.days))
    phone.fill("input[name=minutes_a_day]", str(week_1.minutes_a_day))
    with phone.expect_navigation():
        phone.get_by_role("button", name="Save my week").click()
    assert "Week 1: you did everything you planned. Well done." in phone.content()
    _shot(phone, "06-phone-plan-page-with-progress.png")

    with phone.expect_navigation():
        phone.get_by_role("link", name="Easy read version with pictures").click()
    assert phone.locator("h1").inner_text() == "My plan to be more active"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    assert_no_axe_violations(phone)
    _shot(phone, "07-phone-easy-read.png")

    # Printed in clinic: the page without navigation, as the printer sees it.
    plan = ActivityPlan.objects.get(service_user=person, status="sent")
    page.goto(f"{base}/outcomes/plans/{plan.public_id}/print/")
    page.emulate_media(media="print")
    assert not page.locator(".nhsuk-header").is_visible()
    _shot(page, "08-print.png")
    page.emulate_media(media="screen")

    page.goto(f"{base}/service-users/{person.public_id}/")
    assert "Reported days" in page.content()

    # Week 1's check-in message links to the plan page at week 1.
    check_in = (
        Nudge.objects.filter(template="plan_check_in", service_user=person)
        .order_by("due_at")
        .first()
    )
    assert check_in.link_path.endswith("?week=1")
    phone.goto(base + check_in.link_path)
    assert phone.get_by_label("Week 1").is_checked()
    assert_no_axe_violations(phone)

    # The week-6 call task: from the task list to the plan and its answers on one page.
    # The demo's plan six weeks on; the year of ended plans for the lead's figures started
    # eight weeks ago and before.
    six_weeks_on = (
        ActivityPlan.objects.filter(
            status="sent", starts_on__gt=timezone.localdate() - timedelta(weeks=8)
        )
        .order_by("starts_on")
        .first()
    )
    page.goto(f"{base}{reverse('referrals:tasks')}")
    assert "Call about their activity plan (week 6)" in page.content()
    detail = reverse("outcomes:plan_detail", args=[six_weeks_on.public_id])
    with page.expect_navigation():
        page.locator(f'a[href="{detail}"]').click()
    assert page.url.endswith(detail)
    assert page.locator("h1").inner_text().startswith("Walking: goal 150 minutes a week")
    assert "Reported days" in page.content()
    assert_no_axe_violations(page)
    _shot(page, "09-week-6-call-plan.png")
