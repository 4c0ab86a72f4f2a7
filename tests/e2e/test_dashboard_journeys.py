"""A service lead reads the dashboard from the demo's recorded data, and a partnership officer
reads theirs; both pages pass axe, and bad dates are explained without losing them."""

from tests.e2e.conftest import assert_no_axe_violations, sign_in

SECTIONS = ["Outcomes by uptake of activity", "Outcomes by group", "Waits"]
SECTIONS += ["Engagement and completeness", "Activity levels", "Who is referred"]
SECTIONS += ["Referrals and providers", "Monthly trends"]


def test_lead_sees_outcomes_by_uptake_with_denominators(page, live_server, demo_data):
    base = live_server.url
    sign_in(page, base, "lead@demo.test", two_factor=True)
    page.set_viewport_size({"width": 1280, "height": 1024})
    with page.expect_navigation():
        page.click("nav[aria-label=Menu] a:has-text('Dashboard')")
    # The summary first, on one screen: recovery by group with the difference and its
    # interval, uptake, waits and paired scores.
    assert page.locator("h1").inner_text() == "Summary"
    main = page.locator("main").inner_text()
    assert "percentage points" in main and "95% confidence interval" in main
    assert "Activity uptake" in main and "Waits" in main and "Paired scores" in main
    bottom = page.evaluate("document.querySelector('.tm-summary').getBoundingClientRect().bottom")
    assert bottom <= 1024  # all four figures on the first screen
    assert_no_axe_violations(page)

    with page.expect_navigation():
        page.click("nav[aria-label='Dashboard sections'] a:has-text('Outcomes by uptake')")
    outcomes = page.locator("main table").first.inner_text()
    assert "Took up activity (recorded by the provider)" in outcomes
    assert "Not referred" in outcomes
    main = page.locator("main").inner_text()
    assert "GAD-7" in main  # anxiety outcomes use GAD-7 only
    assert "percentage points" in main  # the difference, with its interval
    assert "not proof that activity caused it" in main
    assert_no_axe_violations(page)

    for title in SECTIONS[1:]:
        with page.expect_navigation():
            page.click(f"nav[aria-label='Dashboard sections'] a:has-text('{title}')")
        assert page.locator("h1").inner_text() == title
        # At 1,280 px every table fits its width: headings and figures wrap, no column is
        # lost off the edge (NHS.UK's table runs 2 px past its container).
        overflowing = page.evaluate(
            "[...document.querySelectorAll('.tm-table')]"
            ".filter(t => t.scrollWidth > t.clientWidth + 4).map(t => t.getAttribute('aria-label'))"
        )
        assert overflowing == [], title
        assert_no_axe_violations(page)

    # On a phone each table's rows stack, every figure labelled: nothing runs off the page.
    page.set_viewport_size({"width": 390, "height": 844})
    for link in page.locator("nav[aria-label='Dashboard sections'] a").all():
        href = link.get_attribute("href")
        other = page.context.new_page()
        other.set_viewport_size({"width": 390, "height": 844})
        other.goto(f"{base}{href}")
        wider = other.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert wider <= 0, href
        other.close()
    page.set_viewport_size({"width": 1280, "height": 1024})

    page.click("summary:has-text('Change the period')")
    page.fill("input[name=start-day]", "31")
    page.fill("input[name=start-month]", "2")
    with page.expect_navigation():
        page.click("main button:has-text('Show figures')")
    assert "There is a problem" in page.locator(".nhsuk-error-summary").inner_text()
    assert page.input_value("input[name=start-day]") == "31"
    assert page.locator("h1").inner_text() == "Monthly trends"  # the same section
    assert_no_axe_violations(page)


def test_partnership_sees_its_area_without_identifiable_data(page, live_server, demo_data):
    base = live_server.url
    sign_in(page, base, "partnership@demo.test")
    with page.expect_navigation():
        page.click("nav[aria-label=Menu] a:has-text('Dashboard')")
    main = page.locator("main").inner_text()
    assert "Gaps in provision" in main
    assert "fewer than 8" in main or "rounded to the nearest 5" in main
    assert "Walker" not in main and "NHS number" not in main
    assert_no_axe_violations(page)
