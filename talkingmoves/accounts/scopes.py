from .models import Invitation, Organisation, User
from .scoping import scope_for


@scope_for(Organisation)
def organisations_for(queryset, user):
    if user.is_superuser:
        return queryset
    return queryset.filter(pk=user.organisation_id)


@scope_for(User)
def colleagues_for(queryset, user):
    if user.is_superuser:
        return queryset
    return queryset.filter(organisation_id=user.organisation_id)


@scope_for(Invitation)
def invitations_for(queryset, user):
    if user.is_superuser:
        return queryset
    return queryset.filter(organisation_id=user.organisation_id)
