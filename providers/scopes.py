"""Who may see which listings (reading) and who may change them (editing).

Reading: staff of Talking Therapies services see every live listing except other services'
in-house offers; partnership staff see their own area; provider staff their own listings.
Editing: partnership staff their area; provider staff their own listings; a service lead
their service's in-house offers.
"""

from django.db.models import Q

from talkingmoves.accounts.models import Organisation, Role
from talkingmoves.accounts.scoping import scope_for
from talkingmoves.core.expressions import AnyOf

from .models import Activity, OpenActiveFeed, Provider, Venue


def editable_provider_filter(user) -> Q | None:
    """A filter on Provider for the listings `user` may change, or None for none."""
    if user.is_superuser:
        return Q()
    if user.role == Role.PARTNERSHIP_STAFF:
        return Q(partnership_id=user.organisation_id)
    if user.role == Role.PROVIDER_STAFF:
        return Q(organisation_id=user.organisation_id)
    if user.role == Role.SERVICE_LEAD:
        return Q(organisation_id=user.organisation_id)
    return None


def _readable_provider_filter(user) -> Q | None:
    if user.is_superuser:
        return Q()
    if user.role in (Role.CLINICIAN, Role.SERVICE_LEAD):
        other_services_in_house = Q(organisation__kind=Organisation.Kind.TALKING_THERAPIES) & ~Q(
            organisation_id=user.organisation_id
        )
        return ~other_services_in_house
    return editable_provider_filter(user)


def _prefixed(condition: Q, prefix: str) -> Q:
    """Re-root a Provider filter onto a model that reaches Provider through `prefix`."""
    if not condition.children:
        return condition
    rerooted = Q()
    rerooted.connector, rerooted.negated = condition.connector, condition.negated
    for child in condition.children:
        if isinstance(child, Q):
            rerooted.children.append(_prefixed(child, prefix))
        else:
            key, value = child
            rerooted.children.append((f"{prefix}__{key}", value))
    return rerooted


def _by_provider_ids(condition: Q) -> AnyOf:
    """A filter on Provider applied to venues or activities by the providers' ids, read first.
    For one partnership's or organisation's providers (a few hundred at most): joined to the
    providers instead, PostgreSQL estimates ten listings a provider and reads every activity
    in the directory (22 ms against 2 at 110,000 activities, docs/performance.md)."""
    providers = Provider.objects.filter(condition).order_by()
    return AnyOf("provider_id", providers.values_list("pk", flat=True))


def editable(user, model):
    """Queryset of `model` (Provider, Venue or Activity) that `user` may change."""
    condition = editable_provider_filter(user)
    if condition is None:
        return model.objects.none()
    if model is Provider:
        return model.objects.filter(condition)
    if user.is_superuser:
        return model.objects.all()
    return model.objects.filter(_by_provider_ids(condition))


def editable_rows(user, model):
    """As `editable`, joined to the providers instead of reading their ids first: for rows
    already chosen from `editable` by id (a page's), where the join reads only those rows'
    providers and reading the ids again would be a statement more."""
    condition = editable_provider_filter(user)
    if condition is None:
        return model.objects.none()
    if model is Provider:
        return model.objects.filter(condition)
    return model.objects.filter(_prefixed(condition, "provider"))


def _readable_through_provider(user) -> Q | AnyOf | None:
    """The read scope for venues and activities: by their providers' ids where the user's
    providers are one organisation's or partnership's (the editable ones), else joined."""
    condition = _readable_provider_filter(user)
    if condition is None or user.is_superuser:
        return condition
    if user.role in (Role.PARTNERSHIP_STAFF, Role.PROVIDER_STAFF):
        return _by_provider_ids(condition)
    return _prefixed(condition, "provider")


@scope_for(Provider)
def providers_for(queryset, user):
    condition = _readable_provider_filter(user)
    return queryset.none() if condition is None else queryset.filter(condition)


@scope_for(Venue)
def venues_for(queryset, user):
    condition = _readable_through_provider(user)
    return queryset.none() if condition is None else queryset.filter(condition)


@scope_for(Activity)
def activities_for(queryset, user):
    condition = _readable_through_provider(user)
    return queryset.none() if condition is None else queryset.filter(condition)


@scope_for(OpenActiveFeed)
def feeds_for(queryset, user):
    if user.is_superuser:
        return queryset
    if user.role == Role.PARTNERSHIP_STAFF:
        return queryset.filter(partnership_id=user.organisation_id)
    return queryset.none()
