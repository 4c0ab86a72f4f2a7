"""A personal activity plan for the demo (issue 17): one Riverside person talked about being
active three weeks ago, agreed a six-week walking plan, had it sent, and has answered two
weekly check-ins on their plan page. Made through the real services. Idempotent."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from outcomes.plans import rules, services
from outcomes.plans.models import ActivityConversation, ActivityPlan, PlanActivity, PlanCheckIn
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


def _someone_to_plan_with(clinician):
    """On the demo clinician's caseload, reachable by email, with a clear PAR-Q+."""
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
        .exclude(screenings__outcome=Screening.Outcome.ADVICE_NEEDED)
        .order_by("pk")
        .first()
    )


def seed_plans() -> None:
    if ActivityPlan.objects.exists():
        return
    clinician = User.objects.filter(email=CLINICIAN_EMAIL).first()
    person = _someone_to_plan_with(clinician) if clinician else None
    if person is None:
        return
    walking = [ident for ident, label in common_interest_choices() if label == Interest.WALKING]
    started = timezone.now() - timedelta(days=DAYS_AGO)
    with transaction.atomic():
        conversation = services.conversation_record(
            service_user=person,
            by=clinician,
            enjoys=walking,
            enjoys_note="Used to walk the dog along the river",
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
            description="a walk along the river, with my sister",
            target_minutes=150,
            steps=steps,
            conversation=conversation,
        )
        plan = services.plan_send(plan=plan, by=clinician)
        # Backdated as if all of it happened over the last two weeks.
        ActivityConversation.objects.filter(pk=conversation.pk).update(held_at=started)
        ActivityPlan.objects.filter(pk=plan.pk).update(
            created_at=started, sent_at=started, starts_on=timezone.localdate(started)
        )
        Nudge.objects.filter(template="personal_plan", service_user=person).update(
            due_at=started, created_at=started
        )
        plan.refresh_from_db()
        for week, days, minutes in ANSWERS:
            services.check_in_record(plan=plan, week=week, days_done=days, minutes_a_day=minutes)
            answered = started + timedelta(days=7 * week)
            PlanCheckIn.objects.filter(plan=plan, week=week).update(answered_at=answered)
    send_due_nudges_now()
