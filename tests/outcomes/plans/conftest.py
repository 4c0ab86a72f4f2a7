"""Plans tests: the outcomes person (consent to email), a service with a duty contact, an
empty cache for the link rate limit, and the clock stopped on Monday 2 March 2026."""

import re

import pytest

from outcomes.plans import services
from outcomes.plans.rules import Step
from tests.factories import with_duty_contact

SIX_WEEKS = [(10, 3), (15, 3), (15, 4), (20, 4), (25, 4), (30, 5)]


def steps_of(pairs):
    return [Step(week=n, minutes_a_day=m, days=d) for n, (m, d) in enumerate(pairs, start=1)]


def main_part(page: str) -> str:
    """The <main> element's text and markup: what a printed page or a phone shows as the
    plan (the header is staff navigation when signed in, and not printed)."""
    return page[page.index("<main") : page.index("</main>")]


def input_value(page: str, name: str) -> str | None:
    """The value of the named <input> on a page (None when it has none)."""
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', page)
    assert tag, name
    value = re.search(r'value="([^"]*)"', tag.group(0))
    return value.group(1) if value else None


def make_plan(person, by, *, pairs=SIX_WEEKS, target=150, send=True, **extra):
    plan = services.plan_create(
        service_user=person,
        by=by,
        activity="walking",
        target_minutes=target,
        steps=steps_of(pairs),
        **extra,
    )
    if send:
        plan = services.plan_send(plan=plan, by=by)
    return plan


@pytest.fixture(autouse=True)
def _plans_world(frozen, fresh_cache, clinician):
    with_duty_contact(clinician.organisation)


@pytest.fixture
def plan(person, clinician):
    """A six-week walking plan to 150 minutes a week, sent."""
    return make_plan(person, clinician)
