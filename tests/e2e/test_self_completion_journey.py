"""Browser journey: a service user completes their questionnaire on a 375px-wide screen, with
no sideways scrolling and no accessibility violations."""

import pytest

from outcomes import services
from outcomes.models import Measure, MeasureRequest
from tests.e2e.conftest import assert_no_axe_violations
from tests.outcomes.factories import EpisodeFactory
from tests.referrals.factories import ServiceUserFactory


@pytest.fixture
def phone(browser):
    context = browser.new_context(bypass_csp=True, viewport={"width": 375, "height": 740})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_service_user_completes_phq9_on_a_phone(phone, live_server, transactional_db):
    person = ServiceUserFactory()
    request = MeasureRequest.objects.create(episode=EpisodeFactory(service_user=person))
    phone.goto(live_server.url + services.self_completion_path(request))
    assert phone.locator("h1").inner_text() == "Your questions before your next appointment"
    # Nothing wider than the screen: no sideways scrolling on a 375px phone.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    assert_no_axe_violations(phone)

    with phone.expect_navigation():
        phone.get_by_role("button", name="Send my answers").click()
    assert "There is a problem" in phone.content()
    assert_no_axe_violations(phone)

    for n in range(1, 10):
        phone.locator(f"input[name=phq9_{n}][value='1']").check()
    for n in range(1, 8):
        phone.locator(f"input[name=gad7_{n}][value='0']").check()
    phone.locator("input[name=activity_days][value='4']").check()
    with phone.expect_navigation():
        phone.get_by_role("button", name="Send my answers").click()
    assert "Thank you, your answers have been sent" in phone.content()
    assert "If you need help now" in phone.content()  # item 9 was answered "several days"
    assert_no_axe_violations(phone)
    assert Measure.objects.filter(source="self_completed").count() == 3
