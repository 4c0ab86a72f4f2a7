"""Plans are part of the person's care: only clinicians and leads of their service see them."""

from outcomes.plans.models import ActivityConversation, ActivityPlan, PlanCheckIn, PlanStep
from outcomes.scopes import CLINICAL
from talkingmoves.accounts.scoping import scope_for


def _for_person(queryset, user, prefix: str):
    if user.role in CLINICAL:
        return queryset.filter(
            **{
                f"{prefix}service_user__service_id": user.organisation_id,
                f"{prefix}service_user__erased_at__isnull": True,
            }
        )
    return queryset.none()


@scope_for(ActivityConversation)
def conversations_for(queryset, user):
    return _for_person(queryset, user, "")


@scope_for(ActivityPlan)
def plans_for(queryset, user):
    return _for_person(queryset, user, "")


@scope_for(PlanStep)
def plan_steps_for(queryset, user):
    return _for_person(queryset, user, "plan__")


@scope_for(PlanCheckIn)
def plan_check_ins_for(queryset, user):
    return _for_person(queryset, user, "plan__")
