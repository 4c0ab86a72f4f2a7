"""Changes to accounts made by service leads and partnership staff (issue 16).

Each service checks, itself, that the person acting may make the change (views check too,
but a service is the last line): the account or organisation must be one they manage and the
role one they may grant. Every change writes the access log.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from talkingmoves.audit.actions import AccessAction
from talkingmoves.audit.services import access_log_write

from .models import ROLE_ORGANISATION_KIND, Invitation, Organisation, Role, User
from .team_selectors import (
    email_has_account,
    grantable_roles,
    manageable_accounts,
    manageable_organisations,
    token_hash,
)

INVITATION_VALID_FOR = timedelta(days=7)
ACCOUNT_EXISTS = "An account with this email address already exists"


class InvitationUnusable(Exception):
    """The link cannot be used; `reason` is one of "unknown", "used", "expired"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _require_manages(by: User, account: User) -> None:
    if account.pk == by.pk or not manageable_accounts(by).filter(pk=account.pk).exists():
        raise PermissionDenied


@transaction.atomic
def invitation_create(
    *, by: User, email: str, full_name: str, role: str, organisation: Organisation
) -> tuple[Invitation, str]:
    """Invite someone; returns the invitation and the token for the link (sent by email
    once the transaction commits, and never stored)."""
    if role not in grantable_roles(by):
        raise PermissionDenied
    if not manageable_organisations(by).filter(pk=organisation.pk).exists():
        raise PermissionDenied
    if organisation.kind != ROLE_ORGANISATION_KIND[Role(role)]:
        raise PermissionDenied
    email = email.strip().lower()
    if email_has_account(email):
        raise ValidationError({"email": ACCOUNT_EXISTS})
    now = timezone.now()
    # Inviting someone again ends the earlier link, so only the newest one works.
    Invitation.objects.filter(
        email__iexact=email, organisation=organisation, accepted_at__isnull=True
    ).update(expires_at=now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        email=email,
        full_name=full_name.strip(),
        role=role,
        organisation=organisation,
        invited_by=by,
        token_hash=token_hash(token),
        created_at=now,
        expires_at=now + INVITATION_VALID_FOR,
    )
    invitation.full_clean()
    invitation.save()
    access_log_write(actor=by, action=AccessAction.INVITE, obj=invitation)
    transaction.on_commit(lambda: _send_invitation_email(invitation, token))
    return invitation, token


def _send_invitation_email(invitation: Invitation, token: str) -> None:
    """Through the message gateway (GOV.UK Notify in production): the organisation's name,
    the link and when it expires. No names, nothing clinical."""
    context = {
        "organisation": invitation.organisation.name,
        "link": settings.SITE_URL + reverse("accounts:invitation", kwargs={"token": token}),
        "expires_at": invitation.expires_at,
    }
    send_mail(
        subject=render_to_string("accounts/email/invitation_subject.txt", context).strip(),
        message=render_to_string("accounts/email/invitation.txt", context),
        from_email=None,
        recipient_list=[invitation.email],
    )


@transaction.atomic
def invitation_accept(*, token: str, password: str) -> User:
    """Create the account the invitation offers, with this password. The person enrols an
    authenticator when they first sign in (accounts.views.two_factor_view)."""
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("organisation", "invited_by")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if invitation is None:
        raise InvitationUnusable("unknown")
    if invitation.accepted_at is not None:
        raise InvitationUnusable("used")
    # An invitation from someone who has since lost the right to give it is void.
    if not invitation.is_pending() or not invitation.invited_by.is_active:
        raise InvitationUnusable("expired")
    if email_has_account(invitation.email):
        raise InvitationUnusable("used")
    user = User.objects.create_user(
        invitation.email,
        password,
        full_name=invitation.full_name,
        role=invitation.role,
        organisation=invitation.organisation,
    )
    invitation.accepted_at = timezone.now()
    invitation.account = user
    invitation.save(update_fields=["accepted_at", "account"])
    access_log_write(actor=user, action=AccessAction.INVITATION_ACCEPTED, obj=invitation)
    return user


@transaction.atomic
def account_deactivate(*, account: User, by: User) -> User:
    """The person can no longer sign in; their open sessions end at their next request
    (Django's ModelBackend refuses inactive users)."""
    _require_manages(by, account)
    account = User.objects.select_for_update().get(pk=account.pk)
    if account.is_active:
        account.is_active = False
        account.save(update_fields=["is_active"])
        access_log_write(actor=by, action=AccessAction.ACCOUNT_DEACTIVATED, obj=account)
    return account


@transaction.atomic
def account_reactivate(*, account: User, by: User) -> User:
    _require_manages(by, account)
    account = User.objects.select_for_update().get(pk=account.pk)
    if not account.is_active:
        account.is_active = True
        account.save(update_fields=["is_active"])
        access_log_write(actor=by, action=AccessAction.ACCOUNT_REACTIVATED, obj=account)
    return account


@transaction.atomic
def account_two_factor_reset(*, account: User, by: User) -> None:
    """Remove the authenticator and recovery codes: with no device, the person is asked to
    enrol a new one when they next sign in, and a session verified with the old one is no
    longer verified."""
    _require_manages(by, account)
    TOTPDevice.objects.filter(user=account).delete()
    StaticDevice.objects.filter(user=account).delete()
    access_log_write(actor=by, action=AccessAction.TWO_FACTOR_RESET, obj=account)


@transaction.atomic
def account_role_change(*, account: User, role: str, by: User) -> User:
    _require_manages(by, account)
    if role not in grantable_roles(by):
        raise PermissionDenied
    account = User.objects.select_for_update().get(pk=account.pk)
    if account.role != role:
        account.role = role
        account.full_clean(exclude=["password"])
        account.save(update_fields=["role"])
        access_log_write(actor=by, action=AccessAction.ROLE_CHANGED, obj=account)
    return account
