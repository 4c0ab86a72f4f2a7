"""Reads for the plan pages and the record's "Being active" section."""

from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone

from outcomes.models import Measure
from outcomes.plans.models import ActivityConversation, ActivityPlan, PlanCheckIn, PlanStep
from outcomes.selectors import recorded_episodes
from referrals.models import Referral, Screening
from talkingmoves.accounts.scoping import get_for_user_or_404
from talkingmoves.core.compiled_query import CompiledInstances, an_id

S = Referral.Status
# Referrals a plan can be tied to: the person is going, or has been pointed to it.
PLAN_REFERRAL_STATUSES = (S.SENT, S.ACCEPTED, S.ATTENDING, S.SIGNPOSTED, S.TAKEN_UP)


def _weeks():
    # What week_rows reads of each week (the plan page's and the record's chart and table).
    steps = PlanStep.objects.only("plan_id", "week", "minutes_a_day", "days")
    check_ins = PlanCheckIn.objects.only("plan_id", "week", "days_done", "minutes_a_day")
    return (
        Prefetch("steps", queryset=steps.order_by("week")),
        Prefetch("check_ins", queryset=check_ins.order_by("week")),
    )


def _with_weeks(queryset):
    return queryset.prefetch_related(*_weeks())


def plan_for(user, public_id) -> ActivityPlan:
    return get_for_user_or_404(
        user,
        _with_weeks(ActivityPlan.objects.select_related("service_user", "referral__activity")),
        public_id=public_id,
    )


CURRENT_PLAN_COLUMNS = (
    "public_id", "activity", "description", "target_minutes", "referral_id", "status", "sent_at",
)  # fmt: skip


# Compiled once (talkingmoves/core/compiled_query.py), as the record's other small reads.
_CURRENT_PLAN = CompiledInstances(
    lambda _shape, *, person_id: (
        ActivityPlan.objects.only(*CURRENT_PLAN_COLUMNS)
        .filter(service_user_id=person_id)
        .exclude(status=ActivityPlan.Status.REPLACED)[:1]  # newest first, by Meta.ordering
    ),
    person_id=an_id(),
)


def current_plan(service_user) -> ActivityPlan | None:
    """The newest plan that has not been replaced: sent, or still a draft. Its callers (the
    record's section, a new plan's starting values) read what CURRENT_PLAN_COLUMNS name, and
    the referral's id, never the referral, so it is not joined."""
    plan = _CURRENT_PLAN.first(person_id=service_user.pk)
    if plan is not None:
        prefetch_related_objects([plan], *_weeks())
    return plan


def sent_plan(service_user) -> ActivityPlan | None:
    return (
        ActivityPlan.objects.filter(service_user=service_user, status=ActivityPlan.Status.SENT)
        .order_by("-sent_at")
        .first()
    )


def latest_conversation(service_user) -> ActivityConversation | None:
    """What the record's section and the next conversation's form show of it (no "enjoys":
    those became the person's interests), with who recorded it by name."""
    return _LATEST_CONVERSATION.first(person_id=service_user.pk)


CONVERSATION_COLUMNS = (
    "held_at", "confidence", "readiness", "support", "barriers", "enjoys_note", "recorded_by",
)  # fmt: skip
_LATEST_CONVERSATION = CompiledInstances(
    lambda _shape, *, person_id: (
        ActivityConversation.objects.select_related("recorded_by")
        .only(*CONVERSATION_COLUMNS, "recorded_by__full_name", "recorded_by__email")
        .filter(service_user_id=person_id)[:1]  # newest first, by Meta.ordering
    ),
    person_id=an_id(),
)


def newest_screening(service_user) -> Screening | None:
    return Screening.objects.filter(service_user=service_user).order_by("-taken_at", "-pk").first()


def weekly_minutes_measures(service_user) -> list[tuple]:
    """(taken on, weekly active minutes) for each single-item measure, oldest first: from
    the person's episodes when the record has read them with every measure, else a query."""
    episodes = recorded_episodes(service_user)
    if episodes is not None:
        measures = [
            m
            for episode in episodes
            for m in episode.measures.all()
            if m.kind == Measure.Kind.ACTIVITY_MINUTES
        ]
        measures.sort(key=lambda m: (m.taken_on, m.recorded_at, m.pk))
        return [(m.taken_on, m.total) for m in measures]
    return list(
        Measure.objects.filter(
            episode__service_user=service_user, kind=Measure.Kind.ACTIVITY_MINUTES
        )
        .order_by("taken_on", "recorded_at", "pk")
        .values_list("taken_on", "total")
    )


def plan_referral_choices(service_user) -> list[tuple[str, str]]:
    referrals = (
        Referral.objects.filter(service_user=service_user, status__in=PLAN_REFERRAL_STATUSES)
        .select_related("activity")
        .order_by("-created_at")
    )
    return [(str(r.pk), r.activity.name) for r in referrals]


def plan_week_now(plan: ActivityPlan, today=None) -> int:
    """Which week of the plan today is in (1 on the first day), never past its last week."""
    today = today or timezone.localdate()
    weeks = max(len(plan.steps.all()), 1)
    return max(1, min(weeks, (today - plan.starts_on).days // 7 + 1))


def referral_for_plan(service_user, referral_id):
    return (
        Referral.objects.filter(
            service_user=service_user, status__in=PLAN_REFERRAL_STATUSES, pk=referral_id
        )
        .select_related("activity")
        .first()
    )
