"""The signed, expiring link to a person's plan page. The token carries only the plan's
public id; a plan replaced by a newer one answers that a new link was sent."""

from datetime import timedelta

from django.urls import reverse

from outcomes.plans.models import ActivityPlan
from talkingmoves.core.signed_links import LinkError, SignedLink

# Long enough for an eight-week plan and the follow-up call after it.
PLAN_LINK_LIFETIME = timedelta(days=84)
EXPIRED = (
    "This link has expired. Links to your plan last 12 weeks. Ask your practitioner for a new one"
)
NOT_FOUND = "Page not found"
REPLACED = "Your plan has changed. We sent you a new link to it"
NOT_IN_USE = "This link is no longer in use"
PLAN_PAGE = SignedLink(
    salt="outcomes.plans.page",
    max_age=PLAN_LINK_LIFETIME,
    expired_message=EXPIRED,
    invalid_message=NOT_FOUND,
)


def plan_token(plan: ActivityPlan) -> str:
    return PLAN_PAGE.token(plan.public_id)


def plan_page_path(plan: ActivityPlan) -> str:
    return reverse("outcomes:plan_page", kwargs={"token": plan_token(plan)})


def plan_for_token(token: str) -> ActivityPlan:
    """The sent plan a genuine, in-date link is for; LinkError (404 or 410) otherwise."""
    public_id = PLAN_PAGE.value(token)
    plan = (
        ActivityPlan.objects.select_related(
            "service_user", "referral__activity__venue", "referral__activity__provider"
        )
        .prefetch_related("steps", "check_ins")
        .filter(public_id=public_id)
        .first()
    )
    if plan is None or plan.status == ActivityPlan.Status.DRAFT:
        raise LinkError(NOT_FOUND, 404)
    if plan.service_user.erased_at is not None:
        raise LinkError(NOT_IN_USE, 410)
    if plan.status == ActivityPlan.Status.REPLACED:
        raise LinkError(REPLACED, 410)
    return plan
