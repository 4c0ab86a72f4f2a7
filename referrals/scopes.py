"""Service users are seen only by their own service; a provider sees only referrals sent to
its activities (never drafts, signposting, or anything else about the person)."""

from referrals.models import Referral, ServiceUser
from talkingmoves.accounts.roles import Role
from talkingmoves.accounts.scoping import scope_for

PROVIDER_VISIBLE = [
    "sent",
    "accepted",
    "declined",
    "attending",
    "completed",
    "dropped_out",
    "withdrawn",
]


@scope_for(ServiceUser)
def service_users_for(queryset, user):
    if user.role in (Role.CLINICIAN, Role.SERVICE_LEAD):
        return queryset.filter(service_id=user.organisation_id, erased_at__isnull=True)
    return queryset.none()  # admins use the Django admin; nobody else sees people


@scope_for(Referral)
def referrals_for(queryset, user):
    if user.role in (Role.CLINICIAN, Role.SERVICE_LEAD):
        return queryset.filter(service_user__service_id=user.organisation_id)
    if user.role == Role.PROVIDER_STAFF:
        return queryset.filter(
            activity__provider__organisation_id=user.organisation_id,
            kind=Referral.Kind.REFER,
            status__in=PROVIDER_VISIBLE,
        )
    return queryset.none()
