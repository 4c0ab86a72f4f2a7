"""Choosing an activity's type from the 769 of the activity list: an autocomplete under the
real content security policy, accessible, and a plain select when scripts do not run."""

import pytest

from providers.models import Activity
from tests.e2e.conftest import DEMO_PASSWORD, assert_no_axe_violations, sign_in
from tests.e2e.test_every_page import RECORD_CSP_VIOLATIONS, Problems

OFFICER = "partnership@demo.test"
LISTING = "Beginners' health walk"
OPTIONS = "#id_activity_type__listbox li[role=option]"


def _edit_url(base_url):
    activity = Activity.objects.get(name=LISTING)
    return f"{base_url}/directory/activities/{activity.public_id}/edit/"


def _type_of_listing():
    return Activity.objects.select_related("activity_type").get(name=LISTING).activity_type.label


@pytest.fixture
def strict_page(browser):
    context = browser.new_context()
    context.add_init_script(RECORD_CSP_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_officer_types_swim_and_picks_swimming_under_the_strict_csp(
    strict_page, live_server, demo_data
):
    page = strict_page
    problems = Problems(page)
    sign_in(page, live_server.url, OFFICER)
    problems.found.clear()  # signing in is checked elsewhere
    page.goto(_edit_url(live_server.url))

    assert page.locator("select#id_activity_type-select").is_hidden()
    page.get_by_role("combobox", name="Type of activity").fill("swim")
    options = page.locator(OPTIONS)
    options.first.wait_for()
    labels = options.all_inner_texts()
    # Labels starting with the text first (Swimfit, Swimming, ...), then the rest.
    starts = [label.lower().startswith("swim") for label in labels]
    assert "Swimming" in labels[:3] and starts == sorted(starts, reverse=True), labels
    assert all("swim" in label.lower() for label in labels)
    options.filter(has_text="Swimming").first.click()
    assert page.get_by_role("combobox", name="Type of activity").input_value() == "Swimming"
    with page.expect_navigation():
        page.click("main button[type=submit]")

    assert "/edit/" not in page.url
    assert _type_of_listing() == "Swimming"
    problems.found.extend(f"CSP {v}" for v in page.evaluate("window.__cspViolations"))
    assert problems.found == []


def test_typing_a_type_not_on_the_list_asks_again(strict_page, live_server, demo_data):
    page = strict_page
    sign_in(page, live_server.url, OFFICER)
    page.goto(_edit_url(live_server.url))
    before = _type_of_listing()
    box = page.get_by_role("combobox", name="Type of activity")
    box.fill("Underwater basket weaving")
    page.locator("#id_activity_type__listbox").get_by_text("No type of activity matches").wait_for()
    box.press("Tab")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "Select the type of activity" in page.locator(".nhsuk-error-summary").inner_text()
    assert _type_of_listing() == before


def test_the_autocomplete_is_accessible_open_and_with_an_error(page, live_server, demo_data):
    sign_in(page, live_server.url, OFFICER)
    page.goto(_edit_url(live_server.url))
    page.get_by_role("combobox", name="Type of activity").fill("swim")
    page.locator(OPTIONS).first.wait_for()
    assert_no_axe_violations(page)

    page.get_by_role("combobox", name="Type of activity").fill("")
    page.fill("input[name=name]", "")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert page.locator(".nhsuk-error-summary").is_visible()
    assert_no_axe_violations(page)


def test_without_scripts_the_select_still_sets_the_type(browser, live_server, demo_data):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(f"{live_server.url}/account/sign-in/")
        page.fill("input[name=username]", OFFICER)
        page.fill("input[name=password]", DEMO_PASSWORD)
        with page.expect_navigation():
            page.click("main button[type=submit]")
        page.goto(_edit_url(live_server.url))
        assert page.locator("input[role=combobox]").count() == 0
        page.select_option("select#id_activity_type", label="Swimming")
        with page.expect_navigation():
            page.click("main button[type=submit]")
        assert _type_of_listing() == "Swimming"
    finally:
        context.close()
