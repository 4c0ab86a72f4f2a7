"""The plan rules on their own: steps only go up, a gentle target while PAR-Q+ advice is not
settled, no clinical words on the person's page, and suggested steps that stay small."""

import pytest

from outcomes.plans import rules
from outcomes.plans.rules import Step
from referrals.models import Screening


def _steps(*pairs):
    return [Step(week=n, minutes_a_day=m, days=d) for n, (m, d) in enumerate(pairs, start=1)]


def test_a_step_that_goes_down_is_named_by_its_week():
    steps = _steps((10, 3), (15, 3), (10, 3), (20, 3), (20, 4), (25, 4))
    problems = rules.step_problems(steps, target=150)
    assert problems == [
        (3, "Week 3 asks for less than week 2. Each week should stay the same or go up a little")
    ]


def test_steps_that_stay_level_or_rise_are_fine_even_with_fewer_longer_days():
    # 10 x 3 = 30, then 15 x 2 = 30: the same minutes in the week is not going down.
    assert rules.step_problems(_steps((10, 3), (15, 2), (15, 3)), target=60) == []


def test_a_step_beyond_the_target_is_named():
    problems = rules.step_problems(_steps((10, 3), (40, 5)), target=150)
    assert problems == [(2, "Week 2 goes beyond the weekly target of 150 minutes")]


def _screening(outcome, resolution=""):
    return Screening(outcome=outcome, resolution=resolution, answers={})


A = Screening.Outcome.ADVICE_NEEDED
R = Screening.Resolution


@pytest.mark.parametrize(
    ("screening", "gentle"),
    [
        (None, False),
        (_screening(Screening.Outcome.CLEAR), False),
        (_screening(A), True),
        (_screening(A, R.SEEK_ADVICE_FIRST), True),
        (_screening(A, R.SPECIALIST_ONLY), True),
        (_screening(A, R.DISCUSSED_AND_CLEARED), False),
    ],
)
def test_a_target_beyond_the_gentle_limit_waits_for_par_q_advice(screening, gentle):
    steps = _steps((10, 3), (10, 4), (15, 4), (15, 5), (20, 5), (30, 5))
    message = rules.unsafe_target(target=150, steps=steps, screening=screening)
    assert bool(message) is gentle
    # Within the limit, nobody is held back.
    small = _steps((5, 3), (5, 4), (10, 3), (10, 4), (10, 5), (10, 6))
    assert (
        rules.unsafe_target(target=rules.GENTLE_WEEKLY_LIMIT, steps=small, screening=screening)
        == ""
    )


def test_a_step_alone_can_break_the_gentle_limit():
    steps = _steps((10, 3), (10, 7))  # 70 minutes in week 2
    assert rules.unsafe_target(target=60, steps=steps, screening=_screening(A))


@pytest.mark.parametrize("text", ["walks to ease my anxiety", "after therapy", "PHQ goals"])
def test_clinical_words_are_refused_for_the_persons_page(text):
    assert rules.clinical_words(text) == rules.CLINICAL_WORDS


def test_plain_words_are_fine():
    assert rules.clinical_words("a walk round the park with the dog") == ""


@pytest.mark.parametrize(
    ("start", "target"), [(None, 150), (0, 60), (30, 150), (45, 100), (200, 150), (150, 150)]
)
def test_suggested_steps_rise_in_small_steps_to_the_target_and_never_go_down(start, target):
    steps = rules.suggested_steps(start_minutes=start, target=target)
    assert len(steps) == 6
    assert rules.step_problems(steps, target) == []
    assert steps[0].days == 3
