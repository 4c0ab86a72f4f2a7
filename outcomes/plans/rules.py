"""The plan rules, in one place: steps only go up, and a target stays gentle while a PAR-Q+
screening's request for advice is not settled (docs/clinical-safety/hazard-log.md)."""

from dataclasses import dataclass
from itertools import pairwise

from talkingmoves.vocabulary.message_words import says_something_clinical

# While PAR-Q+ asked for advice and nobody has recorded "discussed and cleared", a plan may
# reach no more than this many minutes a week: about 10 minutes on most days. A product
# choice for the clinical safety officer to review (ADR 019).
GENTLE_WEEKLY_LIMIT = 60
PLAN_WEEKS_AT_LEAST = 6

STEPS_GO_DOWN = (
    "Week {week} asks for less than week {before}. Each week should stay the same or go up a little"
)
STEP_OVER_TARGET = "Week {week} goes beyond the weekly target of {target} minutes"
UNSAFE_TARGET = (
    "Their PAR-Q+ screening asked for advice before they get more active, and that is not "
    "settled. Keep the plan to {limit} minutes a week or less, or record that the screening "
    "was discussed and they are cleared to start gradually. The plan is not sent until then"
)
CLINICAL_WORDS = (
    "The person's page must not say what the service treats. Describe the activity without "
    "clinical words"
)


@dataclass(frozen=True)
class Step:
    week: int
    minutes_a_day: int
    days: int

    @property
    def weekly_minutes(self) -> int:
        return self.minutes_a_day * self.days


def step_problems(steps: list[Step], target: int) -> list[tuple[int, str]]:
    """(week, message) for each step that goes down or beyond the target."""
    problems = []
    for before, step in pairwise(steps):
        if step.weekly_minutes < before.weekly_minutes:
            problems.append((step.week, STEPS_GO_DOWN.format(week=step.week, before=before.week)))
    for step in steps:
        if step.weekly_minutes > target:
            problems.append((step.week, STEP_OVER_TARGET.format(week=step.week, target=target)))
    return problems


def screening_needs_gentle_plan(screening) -> bool:
    """The newest PAR-Q+ asked for advice and was not settled as cleared to start."""
    return (
        screening is not None
        and screening.outcome == "advice_needed"
        and screening.resolution != "discussed_cleared"
    )


def unsafe_target(*, target: int, steps: list[Step], screening) -> str:
    """Why this plan may not be sent to this person yet ("" when it may)."""
    highest = max([target, *(s.weekly_minutes for s in steps)])
    if screening_needs_gentle_plan(screening) and highest > GENTLE_WEEKLY_LIMIT:
        return UNSAFE_TARGET.format(limit=GENTLE_WEEKLY_LIMIT)
    return ""


def clinical_words(text: str) -> str:
    return CLINICAL_WORDS if says_something_clinical(text) else ""


def suggested_steps(*, start_minutes: int | None, target: int, weeks: int = 6) -> list[Step]:
    """Small weekly steps from where the person is to the target: three days a week at first,
    more days before longer walks, always rounded to 5 minutes and never going down."""
    start = max(start_minutes or 0, 15)
    start = min(start, target)
    steps: list[Step] = []
    if start >= target:  # already there: keep it up
        minutes = max(5, target // 3 // 5 * 5)
        return [Step(week=n + 1, minutes_a_day=minutes, days=3) for n in range(weeks)]
    for n in range(weeks):
        weekly = start + (target - start) * n / max(weeks - 1, 1)
        days = min(5, 3 + (2 * n) // max(weeks - 1, 1))
        minutes = max(5, int(weekly / days / 5) * 5)
        if steps and minutes * days < steps[-1].weekly_minutes:
            minutes = -(-steps[-1].weekly_minutes // days // 5) * 5 or 5
            while minutes * days < steps[-1].weekly_minutes:
                minutes += 5
        steps.append(Step(week=n + 1, minutes_a_day=minutes, days=days))
    return steps
