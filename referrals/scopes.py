"""Service users are seen only by their own service; a provider sees only referrals sent to
its activities (never drafts, signposting, or anything else about the person)."""

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef, QuerySet

from providers.models import Activity, Provider
from referrals.models import Referral, ServiceUser
from talkingmoves.accounts.roles import Role
from talkingmoves.accounts.scoping import scope_for, visible_to
from talkingmoves.core.expressions import AnyOf

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


def _sent_to_providers(queryset):
    return queryset.filter(kind=Referral.Kind.REFER, status__in=PROVIDER_VISIBLE)


@scope_for(Referral)
def referrals_for(queryset, user):
    if user.role in (Role.CLINICIAN, Role.SERVICE_LEAD):
        return queryset.filter(service_user__service_id=user.organisation_id)
    if user.role == Role.PROVIDER_STAFF:
        return _sent_to_providers(queryset).filter(
            activity__provider__organisation_id=user.organisation_id
        )
    return queryset.none()


def referrals_for_inbox(user) -> QuerySet:
    """The referrals `referrals_for` gives the user, with a provider's organisation's activities
    read first, as a list of ids (one query, run now). Through the provider join PostgreSQL
    guesses how many activities an organisation has, often badly, and scans every activity;
    given the ids, it reads the referrals' own indexes."""
    if not (user.is_authenticated and user.role == Role.PROVIDER_STAFF):
        return visible_to(user, Referral)
    # An array of each provider's activities: one index scan per provider, whatever
    # PostgreSQL guesses of the organisation (a join would scan all activities).
    per_provider = (
        Provider.objects.filter(organisation_id=user.organisation_id)
        .order_by()
        .values_list(
            ArraySubquery(Activity.objects.filter(provider=OuterRef("pk")).order_by().values("pk")),
            flat=True,
        )
    )
    activity_ids = [pk for ids in per_provider for pk in ids]
    return _sent_to_providers(Referral.objects.filter(AnyOf("activity_id", activity_ids)))
