"""Personal activity plans for the demo (issue 17): one Riverside person talked about being
active two weeks ago, agreed a six-week walking plan, had it sent, and has answered the two
weekly check-ins sent so far (the other four are scheduled); a second is six weeks on, has
answered five, and their clinician has the week-6 call task. Made through the real services,
then backdated; the check-ins go out at 10:00 as the outbox would have sent them.
Idempotent.

Then a year of plans that ended (seed_plan_history), so the lead's dashboard has plan
figures."""

import random
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from outcomes.models import Episode, Measure
from outcomes.plans import checkins, rules, services
from outcomes.plans.models import (
    ActivityConversation,
    ActivityPlan,
    PlanActivity,
    PlanCheckIn,
    PlanStep,
)
from outcomes.services import episodes_recompute
from providers.activity_types import common_interest_choices
from referrals.models import Screening, ServiceUser
from referrals.nudges.models import Nudge
from talkingmoves.accounts.models import User
from talkingmoves.demo.pathway import send_due_nudges_now
from talkingmoves.vocabulary.activities import Interest
from talkingmoves.vocabulary.barriers import Barrier

CLINICIAN_EMAIL = "clinician@demo.test"
SIX_WEEKS = [(10, 3), (15, 3), (15, 4), (20, 4), (25, 4), (30, 5)]
DAYS_AGO = 15  # the plan is in its third week
ANSWERS = [(1, 3, 10), (2, 2, 15)]  # (week, days managed, minutes each time)
FOLLOW_UP_DAYS_AGO = 43  # week 6's check-in went yesterday: the week-6 call is due
FOLLOW_UP_ANSWERS = [(1, 3, 10), (2, 3, 15), (3, 2, 15), (4, 4, 20), (5, 4, 25)]


def _someone_to_plan_with(clinician, *, besides=()):
    """On the demo clinician's caseload, reachable by email, with a clear PAR-Q+; someone
    with no messages yet when there is one, because their plan's messages are backdated and
    one sent later would hold each back as the day's second (one message a day)."""
    people = _people_to_plan_with(clinician, besides=besides)
    sent = Nudge.objects.filter(
        audience=Nudge.Audience.SERVICE_USER, status__in=[Nudge.Status.SENT, Nudge.Status.DELIVERED]
    )
    quiet = people.exclude(pk__in=sent.values("service_user_id")).first()
    return quiet or people.first()


def _people_to_plan_with(clinician, *, besides):
    cleared = Screening.objects.filter(outcome=Screening.Outcome.CLEAR).values("service_user_id")
    return (
        ServiceUser.objects.filter(
            assigned_clinician=clinician,
            erased_at__isnull=True,
            nudges_stopped_at__isnull=True,
            consent_email_at__isnull=False,
            pk__in=cleared,
        )
        .exclude(email="")
        .exclude(pk__in=besides)
        .exclude(screenings__outcome=Screening.Outcome.ADVICE_NEEDED)
        .order_by("pk")
    )


def seed_plans() -> None:
    if ActivityPlan.objects.exists():
        return
    clinician = User.objects.filter(email=CLINICIAN_EMAIL).first()
    person = _someone_to_plan_with(clinician) if clinician else None
    if person is None:
        return
    _plan_for(
        person,
        clinician,
        days_ago=DAYS_AGO,
        answers=ANSWERS,
        enjoys_note="Used to walk the dog along the river",
        description="a walk along the river, with my sister",
    )
    # A second person six weeks on: week 6's check-in went yesterday, so their clinician has
    # the follow-up call to make (a task), with the plan and five answers on one page.
    later = _someone_to_plan_with(clinician, besides=[person.pk])
    if later is not None:
        _plan_for(
            later,
            clinician,
            days_ago=FOLLOW_UP_DAYS_AGO,
            answers=FOLLOW_UP_ANSWERS,
            enjoys_note="Likes the park near work",
            description="a walk in the park at lunchtime",
        )
    # The tasks the hourly sweep would have raised by now; then what the outbox would have
    # sent, a day at a time at the send time (the check-ins go out at 10:00).
    checkins.plan_check_in_tasks()
    send_due_nudges_now()


def _plan_for(person, clinician, *, days_ago, answers, enjoys_note, description):
    """A conversation, a six-week walking plan sent `days_ago` days ago with its weekly
    check-ins, and the answers given, made through the real services and then backdated."""
    walking = [ident for ident, label in common_interest_choices() if label == Interest.WALKING]
    started = timezone.now() - timedelta(days=days_ago)
    with transaction.atomic():
        conversation = services.conversation_record(
            service_user=person,
            by=clinician,
            enjoys=walking,
            enjoys_note=enjoys_note,
            barriers=[Barrier.CONFIDENCE, Barrier.TIME],
            confidence=5,
            readiness="ready",
            support="with_someone",
        )
        steps = [rules.Step(n, m, d) for n, (m, d) in enumerate(SIX_WEEKS, start=1)]
        plan = services.plan_create(
            service_user=person,
            by=clinician,
            activity=PlanActivity.WALKING,
            description=description,
            target_minutes=150,
            steps=steps,
            conversation=conversation,
        )
        plan = services.plan_send(plan=plan, by=clinician)
        # Backdated as if all of it happened over the last weeks.
        ActivityConversation.objects.filter(pk=conversation.pk).update(held_at=started)
        ActivityPlan.objects.filter(pk=plan.pk).update(
            created_at=started, sent_at=started, starts_on=timezone.localdate(started)
        )
        Nudge.objects.filter(template="personal_plan", service_user=person).update(
            due_at=started, created_at=started
        )
        plan.refresh_from_db()
        # The check-ins counted from the backdated start, as the send would have made them.
        Nudge.objects.filter(template=checkins.CHECK_IN_TEMPLATE, service_user=person).delete()
        for nudge in checkins.check_ins_schedule(plan, now=started):
            Nudge.objects.filter(pk=nudge.pk).update(created_at=started)
        for week, days, minutes in answers:
            services.check_in_record(plan=plan, week=week, days_done=days, minutes_a_day=minutes)
            # A couple of hours after that week's check-in went.
            answered = checkins.check_in_due_at(plan, week) + timedelta(hours=2)
            PlanCheckIn.objects.filter(plan=plan, week=week).update(answered_at=answered)
    return plan


# Plans that ended over the last year, so the lead's "Activity plans" section has figures:
# one every three weeks, each six weeks long, with most weeks answered and a weekly-minutes
# measure during most of them. Fixed by the seed, so every demo shows the same figures.
HISTORY_PLANS = 15
HISTORY_SEED = 19


def _history_people(clinician) -> list:
    """People in the demo clinician's service with an episode and no plan yet, in order."""
    return list(
        ServiceUser.objects.filter(
            service_id=clinician.organisation_id, erased_at__isnull=True, episodes__isnull=False
        )
        .exclude(activity_plans__isnull=False)
        .distinct()
        .order_by("pk")[:HISTORY_PLANS]
    )


def seed_plan_history() -> None:
    """Rows as the plan services would have left them (the people need not have consent to
    messages: a plan can be printed), dated over the last year. Idempotent: nothing is added
    once a plan that started more than eight weeks ago exists."""
    today = timezone.localdate()
    if ActivityPlan.objects.filter(starts_on__lt=today - timedelta(weeks=8)).exists():
        return
    clinician = User.objects.filter(email=CLINICIAN_EMAIL).first()
    if clinician is None:
        return
    rng = random.Random(HISTORY_SEED)  # noqa: S311 (demo data, not security)
    with transaction.atomic():
        measured = [
            _history_plan(person, clinician, today - timedelta(weeks=8 + 3 * n), rng)
            for n, person in enumerate(_history_people(clinician))
        ]
        # A new measure changes what the episode's stored columns are worked out from.
        episodes_recompute([episode for episode in measured if episode is not None])


def _history_plan(person, clinician, starts, rng):
    """One ended plan; returns the episode its measures were added to (None: none were)."""
    episode = Episode.objects.filter(service_user=person).order_by("-referral_received_on").first()
    before = (
        Measure.objects.filter(
            episode__service_user=person, kind=Measure.Kind.ACTIVITY_MINUTES, taken_on__lte=starts
        )
        .order_by("-taken_on", "-pk")
        .values_list("total", flat=True)
        .first()
    )
    if before is None and episode is not None:
        # Asked on the day, as the plan form suggests when there is no measure yet.
        before = rng.randint(10, 60)
        _minutes_measure(episode, starts, before, clinician)
    target = rng.choice([90, 120, 150, 150])
    sent = timezone.make_aware(datetime.combine(starts, time(11)))
    plan = ActivityPlan.objects.create(
        service_user=person,
        activity=rng.choice([PlanActivity.WALKING, PlanActivity.WALKING, PlanActivity.OTHER]),
        start_minutes=before,
        target_minutes=target,
        starts_on=starts,
        status=ActivityPlan.Status.SENT,
        created_by=clinician,
        created_at=sent,
        sent_at=sent,
    )
    steps = rules.suggested_steps(start_minutes=before, target=target)
    PlanStep.objects.bulk_create(
        PlanStep(plan=plan, week=s.week, minutes_a_day=s.minutes_a_day, days=s.days) for s in steps
    )
    keen = rng.random() < 0.6  # does most of what they planned
    for step in steps:
        if rng.random() < 0.25:
            continue  # a week not answered
        days = min(7, step.days + (1 if keen else -rng.randint(0, 2)))
        minutes = step.minutes_a_day + (5 if keen and step.week == len(steps) else 0)
        PlanCheckIn.objects.create(
            plan=plan,
            week=step.week,
            days_done=max(0, days),
            minutes_a_day=minutes if days > 0 else 0,
            answered_at=sent + timedelta(days=7 * step.week),
        )
    if episode is not None and rng.random() < 0.8:
        moderate = max(0, before + rng.randint(-20, 90 if keen else 40))
        taken_on = starts + timedelta(days=rng.randint(28, 41))
        _minutes_measure(episode, taken_on, moderate, clinician)
    return episode


def _minutes_measure(episode, taken_on, minutes, clinician) -> None:
    Measure.objects.create(
        episode=episode,
        kind=Measure.Kind.ACTIVITY_MINUTES,
        taken_on=taken_on,
        source=Measure.Source.CLINICIAN,
        recorded_by=clinician,
        moderate_minutes=minutes,
        vigorous_minutes=0,
        total=minutes,
    )
