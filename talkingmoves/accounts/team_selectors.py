"""Who may manage whose account, and the reads the team pages need.

A service lead manages the clinicians and leads of their own service; partnership staff
manage the staff of provider organisations whose listings are in their partnership's area.
Nobody grants a role above their own: the roles each manager may give are listed here and
nowhere else. Admins use the Django admin.
"""

import hashlib

from django.db.models import QuerySet
from django.utils import timezone

from .models import Invitation, Organisation, Role, User

# The roles each role may give (by invitation or by a change of role). Equal or lower only.
GRANTABLE_ROLES: dict[str, tuple[Role, ...]] = {
    Role.SERVICE_LEAD: (Role.CLINICIAN, Role.SERVICE_LEAD),
    Role.PARTNERSHIP_STAFF: (Role.PROVIDER_STAFF,),
}


def grantable_roles(user) -> tuple[Role, ...]:
    if not user.is_authenticated or not user.is_active or user.is_superuser:
        return ()
    return GRANTABLE_ROLES.get(user.role, ())


def manageable_organisations(user) -> QuerySet[Organisation]:
    """The organisations whose accounts `user` may manage (and invite people into)."""
    if not grantable_roles(user) or not user.organisation_id:
        return Organisation.objects.none()
    if user.role == Role.SERVICE_LEAD:
        return Organisation.objects.filter(pk=user.organisation_id)
    # Provider organisations with a listing in the partnership's area. `provider_listings`
    # is the directory's link (providers.Provider.organisation); a string lookup, so the
    # kernel does not import the directory.
    return (
        Organisation.objects.filter(
            kind=Organisation.Kind.PROVIDER,
            provider_listings__partnership_id=user.organisation_id,
        )
        .distinct()
        .order_by("name")
    )


def manageable_accounts(user) -> QuerySet[User]:
    """Accounts `user` may open and change: in an organisation they manage, with a role they
    may grant. Always scoped; an account outside it is a 404 to the views."""
    roles = grantable_roles(user)
    if not roles:
        return User.objects.none()
    return User.objects.filter(
        organisation__in=manageable_organisations(user), role__in=roles
    ).select_related("organisation")


def pending_invitations(user) -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        organisation__in=manageable_organisations(user),
        role__in=grantable_roles(user),
        accepted_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).select_related("organisation")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation a link's token belongs to (pending or not), or None for a forged one."""
    if not token or len(token) > 100:
        return None
    return (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(token_hash=token_hash(token))
        .first()
    )


def email_has_account(email: str) -> bool:
    return User.objects.filter(email__iexact=email.strip()).exists()
