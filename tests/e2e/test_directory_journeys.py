"""Directory journeys in the browser: a clinician's search by keyboard, a partnership
officer's listings and forms, each page checked with axe."""

import re

from providers.models import Activity
from tests.e2e.conftest import assert_no_axe_violations, sign_in

PASSWORD = "TalkingMoves-demo-1"


def test_clinician_finds_a_free_step_free_beginner_walk_by_keyboard(page, live_server, demo_data):
    sign_in(page, live_server.url, "clinician@demo.test", two_factor=True)
    page.goto(f"{live_server.url}/directory/search/")
    assert_no_axe_violations(page)

    page.focus("input[name=postcode]")
    page.keyboard.type("LS1 4AP")
    for selector in (
        "input[name=interests][value]:near(:text('Walking'))",
        "input[name=cost][value=free]",
        "input[name=suitable_for][value=beginners]",
        "input[name=accessibility][value=step_free]",
    ):
        page.focus(selector)
        page.keyboard.press("Space")
    page.focus("main button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    results = page.locator(".tm-results > li")
    assert results.count() >= 1
    first = results.first.inner_text()
    assert "Beginners' health walk" in first and "Free" in first and "km" in first
    assert_no_axe_violations(page)


def test_search_errors_are_announced_and_accessible(page, live_server, demo_data):
    sign_in(page, live_server.url, "clinician@demo.test", two_factor=True)
    page.goto(f"{live_server.url}/directory/search/?postcode=NOT+A+POSTCODE")
    summary = page.locator(".nhsuk-error-summary")
    assert "Enter a real postcode" in summary.inner_text()
    assert page.title().startswith("Error:")
    assert_no_axe_violations(page)


def test_partnership_pages_are_accessible(page, live_server, demo_data):
    sign_in(page, live_server.url, "partnership@demo.test")
    page.goto(f"{live_server.url}/directory/")
    assert "need" in page.locator(".nhsuk-body-l").inner_text()
    assert_no_axe_violations(page)
    page.goto(f"{live_server.url}/directory/providers/")
    assert_no_axe_violations(page)

    activity = Activity.objects.get(name="Beginners' health walk")
    page.goto(f"{live_server.url}/directory/activities/{activity.public_id}/")
    assert_no_axe_violations(page)
    page.goto(f"{live_server.url}/directory/activities/{activity.public_id}/edit/")
    page.fill("input[name=name]", "")
    page.fill("input[name=price_full]", "-3")
    page.uncheck("input[name=is_free]")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    summary = page.locator(".nhsuk-error-summary").inner_text()
    assert "Enter the activity's name" in summary
    assert "Price cannot be less than £0" in summary
    assert_no_axe_violations(page)


def test_spreadsheet_import_pages_are_accessible(
    page, live_server, demo_data, tmp_path, settings, monkeypatch
):
    from talkingmoves.jobs import services as job_services
    from tests.providers.test_csv_support import csv_bytes, walk_row

    # This test is the worker: it runs each job the page starts, then reloads the page.
    monkeypatch.setattr(job_services, "_send", lambda job_id: None)

    def run_the_job_and_reload():
        job_services.job_run(re.search(r"/jobs/([0-9a-f-]{36})/", page.url)[1])
        page.reload()

    settings.DATA_DIR = tmp_path
    bad = walk_row()
    bad["postcode"] = "NOT A POSTCODE"
    good = tmp_path / "good.csv"
    good.write_bytes(csv_bytes([walk_row()]))
    broken = tmp_path / "broken.csv"
    broken.write_bytes(csv_bytes([bad]))

    sign_in(page, live_server.url, "partnership@demo.test")
    page.goto(f"{live_server.url}/directory/import/")
    assert_no_axe_violations(page)
    page.set_input_files("input[type=file]", str(broken))
    with page.expect_navigation():
        page.click("main button[type=submit]")
    # The job's page, waiting for a worker, with its self-refresh turned off: axe rightly
    # flags a meta refresh, which the page's "Stop updating this page" link answers.
    page.click("text=Stop updating this page")
    assert 'http-equiv="refresh"' not in page.content()
    assert_no_axe_violations(page)
    run_the_job_and_reload()
    assert "postcode" in page.content()
    assert_no_axe_violations(page)

    page.goto(f"{live_server.url}/directory/import/")
    page.set_input_files("input[type=file]", str(good))
    with page.expect_navigation():
        page.click("main button[type=submit]")
    run_the_job_and_reload()
    assert_no_axe_violations(page)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    run_the_job_and_reload()
    assert page.locator(".nhsuk-panel__heading").inner_text() == "Listings imported"
    assert_no_axe_violations(page)


def test_feed_pages_are_accessible(page, live_server, demo_data):
    from providers.models import FeedRun, OpenActiveFeed
    from talkingmoves.accounts.models import Organisation

    partnership = Organisation.objects.get(name="Active Riverside Partnership")
    feed = OpenActiveFeed.objects.create(
        partnership=partnership,
        name="Leisure centre sessions",
        url="https://feeds.example.org/session-series",
        last_status="failed",
        last_error="The feed's page 3 was not valid JSON",
    )
    FeedRun.objects.create(
        feed=feed,
        status="failed",
        pages=2,
        added=40,
        rejected=1,
        error=feed.last_error,
        rejections=[{"id": "x1", "kind": "SessionSeries", "problem": "SessionSeries has no name"}],
    )
    sign_in(page, live_server.url, "partnership@demo.test")
    page.goto(f"{live_server.url}/directory/feeds/")
    assert "Leisure centre sessions" in page.content()
    assert_no_axe_violations(page)
    page.goto(f"{live_server.url}/directory/feeds/{feed.public_id}/")
    assert "SessionSeries has no name" in page.content()
    assert_no_axe_violations(page)
    page.goto(f"{live_server.url}/directory/feeds/add/")
    page.fill("input[name=url]", "not a web address")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert page.locator(".nhsuk-error-summary").is_visible()
    assert_no_axe_violations(page)
