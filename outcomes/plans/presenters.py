"""Display values for the record's "Being active" section, the clinician's plan page and the
person's own page (plain words, no scores, nothing clinical)."""

from dataclasses import dataclass

from outcomes.plans import selectors
from outcomes.plans.models import ActivityPlan, PlanActivity, Readiness, Support
from referrals.nudges.safe_names import activity_name
from talkingmoves.vocabulary.barriers import Barrier

# What the person is asked to do, in their page's words.
DOING = {
    PlanActivity.WALKING: "Walk",
    PlanActivity.CHAIR_BASED: "Do your chair-based moves",
    PlanActivity.ADAPTED: "Do your activity",
    PlanActivity.OTHER: "Be active",
}
CHART_HEIGHT = 140
BAR = 14


@dataclass(frozen=True)
class WeekRow:
    week: int
    minutes_a_day: int
    days: int
    planned_minutes: int
    reported_days: int | None
    reported_minutes: int | None

    @property
    def answered(self) -> bool:
        return self.reported_days is not None

    @property
    def met(self) -> bool:
        return self.answered and self.reported_minutes >= self.planned_minutes


def week_rows(plan: ActivityPlan) -> list[WeekRow]:
    answers = {c.week: c for c in plan.check_ins.all()}
    rows = []
    for step in plan.steps.all():
        answer = answers.get(step.week)
        rows.append(
            WeekRow(
                week=step.week,
                minutes_a_day=step.minutes_a_day,
                days=step.days,
                planned_minutes=step.weekly_minutes,
                reported_days=answer.days_done if answer else None,
                reported_minutes=answer.days_done * answer.minutes_a_day if answer else None,
            )
        )
    return rows


def chart(rows: list[WeekRow]) -> dict:
    """Planned (outline) and reported (filled) minutes a week as bars; the table has the
    same figures."""
    top = max([1, *(r.planned_minutes for r in rows), *(r.reported_minutes or 0 for r in rows)])
    bars = []
    for n, row in enumerate(rows):
        x = 40 + n * (BAR * 2 + 16)
        planned = round(row.planned_minutes / top * CHART_HEIGHT)
        reported = round((row.reported_minutes or 0) / top * CHART_HEIGHT)
        bars.append(
            {
                "label": f"Week {row.week}",
                "x": x,
                "label_x": x + BAR,
                "planned_y": 10 + CHART_HEIGHT - planned,
                "planned_h": planned,
                "reported_x": x + BAR,
                "reported_y": 10 + CHART_HEIGHT - reported,
                "reported_h": reported,
                "answered": row.answered,
            }
        )
    return {
        "width": 40 + len(rows) * (BAR * 2 + 16),
        "height": CHART_HEIGHT + 40,
        "bottom": CHART_HEIGHT + 10,
        "top_label": top,
        "bars": bars,
    }


def _labels(values, choices) -> list[str]:
    names = dict(choices)
    return [names.get(v, v) for v in values]


def conversation_summary(conversation) -> dict | None:
    if conversation is None:
        return None
    return {
        "held_at": conversation.held_at,
        "by": conversation.recorded_by.full_name or conversation.recorded_by.email,
        "confidence": conversation.confidence,
        "readiness": Readiness(conversation.readiness).label,
        "support": Support(conversation.support).label,
        "barriers": _labels(conversation.barriers, Barrier.choices) or ["None said"],
        "enjoys_note": conversation.enjoys_note,
    }


def record_being_active(person) -> dict:
    """The record's section: the last conversation, the current plan, progress and the
    weekly-minutes measure at the start and latest."""
    plan = selectors.current_plan(person)
    measures = selectors.weekly_minutes_measures(person)
    conversation = selectors.latest_conversation(person)
    rows = week_rows(plan) if plan else []
    return {
        "conversation": conversation_summary(conversation),
        "plan": plan,
        "rows": rows,
        "chart": chart(rows) if rows else None,
        "measure_start": measures[0] if measures else None,
        "measure_latest": measures[-1] if len(measures) > 1 else None,
    }


def person_progress(rows: list[WeekRow]) -> list[str]:
    """Encouragement for each week answered, never a score."""
    words = []
    for row in rows:
        if not row.answered:
            continue
        if row.met:
            words.append(f"Week {row.week}: you did everything you planned. Well done.")
        elif row.reported_days:
            days = "day" if row.reported_days == 1 else "days"
            words.append(
                f"Week {row.week}: you were active on {row.reported_days} {days}. Every bit counts."
            )
        else:
            words.append(
                f"Week {row.week} was a hard week, and that is OK. Each new week is a fresh start."
            )
    return words


def asked_week(value: str, *, week_now: int) -> int:
    """The week a check-in message asks about (its link's ?week=), when it is a week of the
    plan so far; otherwise the week they are in. Anything else in the link is ignored."""
    if value.isascii() and value.isdigit() and 1 <= int(value) <= week_now:
        return int(value)
    return week_now


def person_page(plan: ActivityPlan) -> dict:
    rows = week_rows(plan)
    return {
        "plan": plan,
        "rows": rows,
        "doing": DOING.get(plan.activity, "Be active"),
        "activity_name": activity_name(plan.referral.activity) if plan.referral_id else "",
        "first_name": plan.service_user.given_name,
        "progress": person_progress(rows),
        "week_now": selectors.plan_week_now(plan),
    }
