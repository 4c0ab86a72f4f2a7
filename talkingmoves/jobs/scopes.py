from talkingmoves.accounts.scoping import scope_for

from .models import Job


@scope_for(Job)
def jobs_for(queryset, user):
    # The creator's organisation sees its jobs; an administrator (no organisation) their own.
    if user.organisation_id is None:
        return queryset.filter(created_by=user)
    return queryset.filter(organisation_id=user.organisation_id)
