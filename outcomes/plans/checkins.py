"""Check-ins at set times (issue 17 item 4): a weekly message asking how the week went, the
follow-up call at week 6, and a task when two weekly check-ins in a row go unanswered.

The messages go through the outbox (ADR 005) as `plan_check_in` nudges, one for each week
of the plan, due at the outbox's send time on the day after the week ends; the outbox
applies consent, channel, quiet hours, one message a day and stop requests when each is
sent. The tasks come from a sweep (outcomes.tasks.plan_check_in_tasks, hourly), not from
the sending: the week-6 call is for the clinician to make whether or not the message could
go (a stop request, no consent), and the outbox may not import outcomes. A missed week
raises a task for the clinician and nothing else: no reminder is ever sent (never nags)."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.urls import reverse
from django.utils import timezone

from outcomes.plans.links import plan_page_path
from outcomes.plans.models import MAX_WEEKS, ActivityPlan
from referrals.nudges import schedule
from referrals.nudges.services import nudge_to_service_user, nudges_cancel
from referrals.worklist.models import Task
from referrals.worklist.services import task_create_for_service_user
from talkingmoves.vocabulary.tasks import TaskKind

CHECK_IN_TEMPLATE = "plan_check_in"
# The follow-up call the research names: raised when week 6's check-in is due.
FOLLOW_UP_WEEK = 6
# Two weekly check-ins in a row with no answer by the time the next one is due.
MISSED_IN_A_ROW = 2
# Plans this old (from their first day) have nothing left to raise: the last week's answer
# is due a week after its check-in, and the sweep reads only the plans still in play.
SWEEP_WINDOW = timedelta(weeks=MAX_WEEKS + 2)


def check_in_due_at(plan: ActivityPlan, week: int) -> datetime:
    """When week `week`'s check-in is due: the day after that week ends, at the send time."""
    return schedule.at_local(plan.starts_on + timedelta(days=7 * week), schedule.SEND_AT)


def check_in_path(plan: ActivityPlan, week: int) -> str:
    """The person's plan page (the same signed link as the plan's), with the week chosen."""
    return f"{plan_page_path(plan)}?week={week}"


def check_ins_schedule(plan: ActivityPlan, *, now: datetime | None = None) -> list:
    """One check-in for each week of a plan just sent, in its transaction. A week whose
    check-in time has already passed (a plan sent late) gets none: no burst of messages."""
    now = now or timezone.now()
    nudges = []
    for step in plan.steps.all():
        due = check_in_due_at(plan, step.week)
        if due <= now:
            continue
        nudges.append(
            nudge_to_service_user(
                service_user=plan.service_user,
                template=CHECK_IN_TEMPLATE,
                link_path=check_in_path(plan, step.week),
                due_at=due,
            )
        )
    return nudges


def check_ins_cancel(service_user) -> int:
    """The check-ins not sent yet: a new plan replaces them with its own."""
    return nudges_cancel(service_user=service_user, templates=(CHECK_IN_TEMPLATE,))


# --- The sweep --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanDue:
    """What a plan calls for at a moment: the week-6 call, and the first week of the newest
    run of unanswered weeks long enough to raise a task (None when there is none)."""

    follow_up_call: bool
    missed_from_week: int | None


def missed_from_week(plan: ActivityPlan, *, answered: set[int], now: datetime) -> int | None:
    """The first week of the newest run of MISSED_IN_A_ROW or more weeks with no answer by
    the time the next check-in was due (a week after its own). An answer ends a run. Weeks
    whose check-in fell before the plan was sent were never asked about and do not count."""
    run: list[int] = []
    newest = None
    for step in plan.steps.all():
        week = step.week
        asked = plan.sent_at is None or check_in_due_at(plan, week) >= plan.sent_at
        if check_in_due_at(plan, week + 1) > now:
            break  # its answer is not late yet
        if week in answered or not asked:
            run = []
            continue
        run.append(week)
        if len(run) >= MISSED_IN_A_ROW:
            newest = run[0]
    return newest


def plan_due(plan: ActivityPlan, *, now: datetime) -> PlanDue:
    weeks = len(plan.steps.all())
    answered = {answer.week for answer in plan.check_ins.all()}
    return PlanDue(
        follow_up_call=weeks >= FOLLOW_UP_WEEK and check_in_due_at(plan, FOLLOW_UP_WEEK) <= now,
        missed_from_week=missed_from_week(plan, answered=answered, now=now),
    )


def _plan_key(plan: ActivityPlan) -> str:
    return f"plan:{plan.public_id}"


def _plan_detail(plan: ActivityPlan) -> str:
    return reverse("outcomes:plan_detail", kwargs={"plan_id": plan.public_id})


def _answered_words(plan: ActivityPlan) -> str:
    answered, weeks = len(plan.check_ins.all()), len(plan.steps.all())
    return f"{plan.get_activity_display()} plan: {answered} of {weeks} weeks answered"


def plan_check_in_tasks(*, now: datetime | None = None) -> dict[str, int]:
    """Raise the week-6 call and the missed check-ins tasks for every sent plan still in
    play. Safe to run again: the week-6 call is made once per plan (its source key), and a
    plan has at most one open missed check-ins task; a run of missed weeks raises one task
    once, even after it is done."""
    now = now or timezone.now()
    since: date = timezone.localdate(now) - SWEEP_WINDOW
    plans = list(
        ActivityPlan.objects.filter(
            status=ActivityPlan.Status.SENT,
            starts_on__gte=since,
            service_user__erased_at__isnull=True,
        )
        .select_related("service_user")
        .prefetch_related("steps", "check_ins")
    )
    made_keys, open_missed = _plan_tasks_made(plans)
    made = {"follow_up_calls": 0, "missed_check_ins": 0}
    for plan in plans:
        due = plan_due(plan, now=now)
        call_key = f"{_plan_key(plan)}:week-{FOLLOW_UP_WEEK}"
        if due.follow_up_call and call_key not in made_keys:
            made["follow_up_calls"] += bool(
                task_create_for_service_user(
                    service_user=plan.service_user,
                    kind=TaskKind.PLAN_WEEK_6_CALL,
                    detail=_answered_words(plan),
                    source_key=call_key,
                    link_path=_plan_detail(plan),
                )
            )
        if due.missed_from_week is None or _plan_key(plan) in open_missed:
            continue
        missed_key = f"{_plan_key(plan)}:missed-from-week-{due.missed_from_week}"
        if missed_key not in made_keys:
            made["missed_check_ins"] += bool(
                task_create_for_service_user(
                    service_user=plan.service_user,
                    kind=TaskKind.PLAN_MISSED,
                    detail=_answered_words(plan),
                    source_key=missed_key,
                    link_path=_plan_detail(plan),
                )
            )
    return made


def _plan_tasks_made(plans: list[ActivityPlan]) -> tuple[set[str], set[str]]:
    """The source keys of the plan tasks already made for these plans' people (so an hourly
    run does not try, and fail, to insert each again), and the plan keys (plan:<public id>)
    that have an open missed check-ins task."""
    if not plans:
        return set(), set()
    rows = Task.objects.filter(
        kind__in=[TaskKind.PLAN_WEEK_6_CALL, TaskKind.PLAN_MISSED],
        service_user_id__in={plan.service_user_id for plan in plans},
        source_key__startswith="plan:",
    ).values_list("source_key", "kind", "done_at")
    made, open_missed = set(), set()
    for key, kind, done_at in rows:
        made.add(key)
        if kind == TaskKind.PLAN_MISSED and done_at is None:
            open_missed.add(key.rsplit(":", 1)[0])
    return made, open_missed
