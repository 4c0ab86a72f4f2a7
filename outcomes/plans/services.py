"""Recording the conversation, making and sending a plan, and the person's weekly answers."""

from django.db import transaction
from django.utils import timezone

from outcomes.plans import checkins, rules
from outcomes.plans.links import plan_page_path
from outcomes.plans.models import (
    MAX_MINUTES_A_DAY,
    ActivityConversation,
    ActivityPlan,
    PlanCheckIn,
    PlanStep,
    Support,
)
from outcomes.plans.selectors import newest_screening, weekly_minutes_measures
from outcomes.services.alerts import duty_contact_missing
from outcomes.services.common import OutcomeError, log_access, require_access
from providers.activity_types import common_interest_choices
from referrals.nudges.services import nudge_to_service_user
from referrals.records.services import service_user_update
from talkingmoves.audit.actions import AccessAction
from talkingmoves.vocabulary.preferences import DeliveryPreference, FormatPreference

P = ActivityPlan.Status
# What the person said about support, as the record's preferences (and so the matching).
SUPPORT_PREFERENCES: dict[str, dict[str, str]] = {
    Support.GROUP: {"prefers_format": FormatPreference.GROUP.value},
    Support.ONLINE: {"prefers_delivery": DeliveryPreference.ONLINE.value},
}
DAYS_OUT_OF_RANGE = "Enter a number of days from 0 to 7"
MINUTES_OUT_OF_RANGE = f"Enter minutes from 0 to {MAX_MINUTES_A_DAY}"


@transaction.atomic
def conversation_record(
    *,
    service_user,
    by,
    enjoys: list[str],
    barriers: list[str],
    confidence: int,
    readiness: str,
    support: str,
    enjoys_note: str = "",
    path: str = "",
) -> ActivityConversation:
    """A dated conversation; what they enjoy, what gets in the way and how they want to take
    part become the record's interests, barriers and preferences."""
    require_access(by, service_user)
    if not 0 <= confidence <= 10:
        raise OutcomeError("Enter how confident they feel, from 0 to 10", "confidence")
    conversation = ActivityConversation.objects.create(
        service_user=service_user,
        enjoys=enjoys,
        enjoys_note=enjoys_note.strip(),
        barriers=barriers,
        confidence=confidence,
        readiness=readiness,
        support=support,
        recorded_by=by,
    )
    # Interests the conversation does not ask about (the full Activity List) are kept.
    offered = {identifier for identifier, _label in common_interest_choices()}
    interests = [*enjoys, *(i for i in service_user.interests if i not in offered)]
    service_user_update(
        service_user=service_user,
        by=by,
        data={"interests": interests, "barriers": barriers, **SUPPORT_PREFERENCES.get(support, {})},
        path=path,
    )
    return conversation


def _steps_of(plan: ActivityPlan) -> list[rules.Step]:
    return [rules.Step(s.week, s.minutes_a_day, s.days) for s in plan.steps.all()]


@transaction.atomic
def plan_create(
    *,
    service_user,
    by,
    activity: str,
    target_minutes: int,
    steps: list[rules.Step],
    description: str = "",
    referral=None,
    conversation=None,
    path: str = "",
) -> ActivityPlan:
    """A draft plan. One that goes beyond what PAR-Q+ allows is kept as a draft and says why
    (send_blockers); steps that go down or clinical words are refused."""
    require_access(by, service_user)
    if len(steps) < rules.PLAN_WEEKS_AT_LEAST:
        raise OutcomeError(f"Plan at least {rules.PLAN_WEEKS_AT_LEAST} weeks")
    for week, message in rules.step_problems(steps, target_minutes):
        raise OutcomeError(message, f"week_{week}_minutes")
    if rules.clinical_words(description):
        raise OutcomeError(rules.CLINICAL_WORDS, "description")
    measures = weekly_minutes_measures(service_user)
    current = (
        ActivityPlan.objects.filter(service_user=service_user, status=P.SENT)
        .order_by("-sent_at")
        .first()
    )
    # An older draft is dropped: only the newest unsent plan matters.
    ActivityPlan.objects.filter(service_user=service_user, status=P.DRAFT).delete()
    plan = ActivityPlan.objects.create(
        service_user=service_user,
        conversation=conversation,
        referral=referral,
        replaces=current,
        activity=activity,
        description=description.strip(),
        start_minutes=measures[-1][1] if measures else None,
        target_minutes=target_minutes,
        created_by=by,
    )
    PlanStep.objects.bulk_create(
        PlanStep(plan=plan, week=s.week, minutes_a_day=s.minutes_a_day, days=s.days) for s in steps
    )
    log_access(by=by, action=AccessAction.UPDATE, obj=service_user, path=path)
    return plan


def send_blockers(plan: ActivityPlan) -> list[str]:
    """Why the plan cannot be sent now: every reason, for the clinician to resolve."""
    person = plan.service_user
    steps = _steps_of(plan)
    blockers = [message for _week, message in rules.step_problems(steps, plan.target_minutes)]
    unsafe = rules.unsafe_target(
        target=plan.target_minutes, steps=steps, screening=newest_screening(person)
    )
    if unsafe:
        blockers.append(unsafe)
    if rules.clinical_words(plan.description):
        blockers.append(rules.CLINICAL_WORDS)
    if duty_contact_missing(person.service_id):
        # Every message to a service user waits for a duty contact (nudges/decisions.py).
        blockers.append(
            "Messages are turned off until your service has a duty contact for risk alerts. "
            "Print the plan for them instead"
        )
    elif person.nudges_stopped_at is not None:
        blockers.append("They asked us to stop sending messages. Print the plan for them instead")
    elif not (
        (person.email and person.consent_email_at) or (person.mobile and person.consent_sms_at)
    ):
        blockers.append(
            "Record an email address or mobile number and consent to use it, or print the "
            "plan for them instead"
        )
    return blockers


@transaction.atomic
def plan_send(*, plan: ActivityPlan, by, path: str = "") -> ActivityPlan:
    plan = ActivityPlan.objects.select_for_update().select_related("service_user").get(pk=plan.pk)
    require_access(by, plan.service_user)
    if plan.status != P.DRAFT:
        raise OutcomeError("This plan has already been sent")
    blockers = send_blockers(plan)
    if blockers:
        raise OutcomeError(blockers[0])
    ActivityPlan.objects.filter(service_user=plan.service_user, status=P.SENT).update(
        status=P.REPLACED
    )
    plan.status = P.SENT
    plan.sent_at = timezone.now()
    plan.save(update_fields=["status", "sent_at"])
    nudge_to_service_user(
        service_user=plan.service_user, template="personal_plan", link_path=plan_page_path(plan)
    )
    # The replaced plan's check-ins not sent yet give way to this plan's, one a week.
    checkins.check_ins_cancel(plan.service_user)
    checkins.check_ins_schedule(plan)
    log_access(by=by, action=AccessAction.UPDATE, obj=plan.service_user, path=path)
    return plan


@transaction.atomic
def check_in_record(
    *,
    plan: ActivityPlan,
    week: int,
    days_done: int,
    minutes_a_day: int,
    source: str = PlanCheckIn.Source.LINK,
) -> PlanCheckIn:
    """What the person managed in a week; a second answer for the week replaces the first."""
    if not 0 <= days_done <= 7:
        raise OutcomeError(DAYS_OUT_OF_RANGE, "days_done")
    if not 0 <= minutes_a_day <= MAX_MINUTES_A_DAY:
        raise OutcomeError(MINUTES_OUT_OF_RANGE, "minutes_a_day")
    if not 1 <= week <= len(plan.steps.all()):
        raise OutcomeError("Choose a week of your plan", "week")
    check_in, _ = PlanCheckIn.objects.update_or_create(
        plan=plan,
        week=week,
        defaults={
            "days_done": days_done,
            "minutes_a_day": minutes_a_day,
            "source": source,
            "answered_at": timezone.now(),
        },
    )
    log_access(
        by=None,
        system_actor="service user (plan link)",
        action=AccessAction.UPDATE,
        obj=plan.service_user,
    )
    return check_in
