"""Plans for the lead dashboard's plan figures, written as the plan services would have left
them, at the dates the figures are worked out from (tests/dashboards/test_plan_figures.py
works each figure out by hand)."""

from datetime import date, timedelta
from itertools import count

from outcomes.models import ActivityPlan, Measure, PlanCheckIn, PlanStep
from tests.dashboards.lead_cast import at
from tests.outcomes.factories import EpisodeFactory
from tests.referrals.factories import ServiceUserFactory

Q3 = (date(2025, 10, 1), date(2025, 12, 31))  # 2025/26 Q3


_NAMES = count()


def person(clinician, **kwargs):
    # Distinctive names, so "no one is named" cannot fail by accident (a family name "Day").
    return ServiceUserFactory(
        service=clinician.organisation,
        assigned_clinician=clinician,
        family_name=f"Zedplanner{next(_NAMES)}",
        **kwargs,
    )


def plan(
    someone,
    *,
    starts: date,
    weeks: int = 6,
    target: int = 150,
    sent: date | None = None,
    start_minutes: int | None = None,
    answers: dict[int, tuple[int, int]] | None = None,
    replaces: ActivityPlan | None = None,
    status: str = "sent",
) -> ActivityPlan:
    """A plan of `weeks` weeks rising to the target; `answers` {week: (days, minutes)}."""
    sent = sent if sent is not None or status == "draft" else starts
    made = ActivityPlan.objects.create(
        service_user=someone,
        activity="walking",
        start_minutes=start_minutes,
        target_minutes=target,
        starts_on=starts,
        status=status,
        created_by=someone.assigned_clinician,
        created_at=at(sent or starts),
        sent_at=at(sent) if sent else None,
        replaces=replaces,
    )
    if replaces is not None:
        ActivityPlan.objects.filter(pk=replaces.pk).update(status="replaced")
    PlanStep.objects.bulk_create(
        PlanStep(plan=made, week=n, minutes_a_day=10 + 2 * n, days=3) for n in range(1, weeks + 1)
    )
    for week, (days, minutes) in (answers or {}).items():
        PlanCheckIn.objects.create(
            plan=made,
            week=week,
            days_done=days,
            minutes_a_day=minutes,
            answered_at=at(starts + timedelta(days=7 * week)),
        )
    return made


def weekly_minutes(someone, *measures: tuple[date, int]) -> None:
    episode = EpisodeFactory(service_user=someone, referral_received_on=date(2025, 8, 1))
    for on, total in measures:
        Measure.objects.create(
            episode=episode,
            kind="activity_minutes",
            taken_on=on,
            moderate_minutes=total,
            vigorous_minutes=0,
            total=total,
            recorded_by=someone.assigned_clinician,
        )


def plan_cast(clinician, other_clinician) -> dict:
    """A to H in the lead's service, and an outsider; Q3 2025/26 (October to December 2025)
    is the period, and the clock is stopped in March 2026, so every week in it has ended."""
    a = person(clinician, gender="2", date_of_birth=date(1990, 6, 1), step=2)
    # A: 6 weeks from Monday 6 October: weeks end 12, 19, 26 Oct, 2, 9, 16 Nov, all in Q3.
    # Answered weeks 1-3 and 6; week 6: 5 days x 30 = 150, the goal: reached. Minutes 40 at
    # the start, 100 on 10 November (the 40 on the first day is the start, not during), 300
    # after the end (not during): +60.
    plan(a, starts=date(2025, 10, 6), start_minutes=40,
         answers={1: (3, 10), 2: (3, 12), 3: (1, 5), 6: (5, 30)})  # fmt: skip
    weekly_minutes(a, (date(2025, 10, 6), 40), (date(2025, 11, 10), 100),
                   (date(2025, 11, 20), 300))  # fmt: skip
    # B: sent 15 September (not agreed in Q3); weeks end 21, 28 Sep, 5, 12, 19, 26 Oct: weeks
    # 3-6 asked in Q3, 4 and 6 answered there. Week 6: 3 x 20 = 60 < 120: not reached.
    # Minutes 30 -> 50: +20.
    b = person(clinician, gender="2", date_of_birth=date(1958, 1, 1), step=3)
    plan(b, starts=date(2025, 9, 15), target=120, start_minutes=30,
         answers={1: (2, 10), 4: (3, 15), 6: (3, 20)})  # fmt: skip
    weekly_minutes(b, (date(2025, 10, 20), 50))
    # C: 8 weeks from 1 December; weeks 1-4 end in Q3 (7, 14, 21, 28 Dec), 1 and 2
    # answered; its last week ends 25 January 2026: not ended in Q3.
    c = person(clinician, gender="1", date_of_birth=date(1985, 3, 3), step=2)
    plan(c, starts=date(2025, 12, 1), weeks=8, answers={1: (2, 10), 2: (2, 10)})
    # D: a plan from 1 October (weeks end 7, 14, 21, 28 Oct, 4, 11 Nov) replaced by a new one
    # sent on 20 October: weeks 1 and 2 asked (1 answered), 3-6 not asked; the old plan's
    # end is left out as replaced. The new one (weeks end 26 Oct ... 30 Nov): 6 asked, none
    # answered; ended with no answer for its last week, and no measure at its start.
    d = person(clinician, gender="1", date_of_birth=date(1985, 3, 3), step=2)
    first = plan(d, starts=date(2025, 10, 1), start_minutes=10, answers={1: (1, 10)})
    plan(d, starts=date(2025, 10, 20), replaces=first)
    # E: a draft made in Q3 and never sent: left out.
    e = person(clinician, gender="2", step=3)
    plan(e, starts=date(2025, 11, 1), status="draft")
    # H: sent 25 August; only week 6 ends in Q3 (5 October), answered 7 x 30 = 210: reached.
    # Minutes 20 at the start, none during: left out of the change.
    h = person(clinician, gender="2", date_of_birth=date(1990, 6, 1), step=2)
    plan(h, starts=date(2025, 8, 25), start_minutes=20, answers={6: (7, 30)})
    weekly_minutes(h, (date(2025, 10, 10), 90))  # after the plan's last day
    # Another service's person, with a plan in Q3: never counted.
    outsider = ServiceUserFactory(
        service=other_clinician.organisation,
        assigned_clinician=other_clinician,
        family_name="Zedplanoutsider",
    )
    plan(outsider, starts=date(2025, 10, 6), start_minutes=0, answers={6: (7, 60)})
    return {"a": a, "b": b, "c": c, "d": d, "e": e, "h": h}
