"""A service lead reads the dashboard from the demo's recorded data, and a partnership officer
reads theirs; both pages pass axe, and bad dates are explained without losing them."""

from tests.e2e.conftest import assert_no_axe_violations, sign_in


def test_lead_sees_outcomes_by_uptake_with_denominators(page, live_server, demo_data):
    base = live_server.url
    sign_in(page, base, "lead@demo.test", two_factor=True)
    with page.expect_navigation():
        page.click("nav[aria-label=Menu] a:has-text('Dashboard')")
    assert page.locator("h1").inner_text() == "Outcomes and equity"
    outcomes = page.locator("#outcomes ~ div table, #outcomes ~ table").first.inner_text()
    assert "Took up physical activity" in outcomes
    assert "Not referred" in outcomes
    assert "GAD-7" in page.locator("main").inner_text()  # anxiety outcomes use GAD-7 only
    assert_no_axe_violations(page)

    page.fill("input[name=start-day]", "31")
    page.fill("input[name=start-month]", "2")
    with page.expect_navigation():
        page.click("main button:has-text('Show figures')")
    assert "There is a problem" in page.locator(".nhsuk-error-summary").inner_text()
    assert page.input_value("input[name=start-day]") == "31"
    assert_no_axe_violations(page)


def test_partnership_sees_its_area_without_identifiable_data(page, live_server, demo_data):
    base = live_server.url
    sign_in(page, base, "partnership@demo.test")
    with page.expect_navigation():
        page.click("nav[aria-label=Menu] a:has-text('Dashboard')")
    main = page.locator("main").inner_text()
    assert "Gaps in provision" in main
    assert "Walker" not in main and "NHS number" not in main
    assert_no_axe_violations(page)
