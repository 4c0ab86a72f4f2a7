"""Accounts run by the services: a lead's "Team", partnership staff's "Provider accounts",
and the public page an invitation link opens."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from talkingmoves.audit.actions import AccessAction
from talkingmoves.audit.services import access_log_write

from . import team_selectors, team_services
from .models import Invitation, User
from .permissions import Action, can, permission_required
from .team_forms import InvitationPasswordForm, InviteForm, RoleForm

# The two ways into the same pages: a lead's own service, or a partnership's providers.
PAGES = {
    Action.MANAGE_TEAM: {
        "heading": "Team",
        "list_url": "accounts:team",
        "invite_url": "accounts:team_invite",
        "choose_organisation": False,
    },
    Action.MANAGE_PROVIDER_ACCOUNTS: {
        "heading": "Provider accounts",
        "list_url": "accounts:provider_accounts",
        "invite_url": "accounts:provider_accounts_invite",
        "choose_organisation": True,
    },
}


def _page_for(user) -> dict:
    for action, page in PAGES.items():
        if can(user, action):
            return page
    raise PermissionDenied


def _accounts_list(request, action):
    user = request.user
    return render(
        request,
        "accounts/team.html",
        {
            "page": PAGES[action],
            "accounts": team_selectors.manageable_accounts(user).order_by(
                "organisation__name", "full_name"
            ),
            "invitations": team_selectors.pending_invitations(user),
            "organisations": team_selectors.manageable_organisations(user),
        },
    )


@require_http_methods(["GET"])
@permission_required(Action.MANAGE_TEAM)
def team(request):
    return _accounts_list(request, Action.MANAGE_TEAM)


@require_http_methods(["GET"])
@permission_required(Action.MANAGE_PROVIDER_ACCOUNTS)
def provider_accounts(request):
    return _accounts_list(request, Action.MANAGE_PROVIDER_ACCOUNTS)


def _invite(request, action):
    page = PAGES[action]
    user = request.user
    organisations = team_selectors.manageable_organisations(user)
    form = InviteForm(
        request.POST if request.method == "POST" else None,
        roles=team_selectors.grantable_roles(user),
        organisations=organisations,
        choose_organisation=page["choose_organisation"],
    )
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _ = team_services.invitation_create(
                by=user,
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                role=form.invite_role(),
                organisation=form.invite_organisation(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"Invitation sent to {invitation.email}. The link works once, for 7 days",
            )
            return redirect(page["list_url"])
    return render(
        request,
        "accounts/team_invite.html",
        {"page": page, "form": form, "has_organisations": organisations.exists()},
    )


@require_http_methods(["GET", "POST"])
@permission_required(Action.MANAGE_TEAM)
def team_invite(request):
    return _invite(request, Action.MANAGE_TEAM)


@require_http_methods(["GET", "POST"])
@permission_required(Action.MANAGE_PROVIDER_ACCOUNTS)
def provider_accounts_invite(request):
    return _invite(request, Action.MANAGE_PROVIDER_ACCOUNTS)


def _account_or_404(request, public_id) -> User:
    _page_for(request.user)  # 403 for a role that manages no accounts
    return get_object_or_404(team_selectors.manageable_accounts(request.user), public_id=public_id)


def _render_account(request, account, role_form=None, status=200):
    user = request.user
    roles = team_selectors.grantable_roles(user)
    is_self = account.pk == user.pk
    if role_form is None and len(roles) > 1 and not is_self:
        role_form = RoleForm(roles=roles, initial={"role": account.role})
    return render(
        request,
        "accounts/account_detail.html",
        {
            "page": _page_for(user),
            "account": account,
            "is_self": is_self,
            "role_form": None if is_self else role_form,
            "has_authenticator": account.totpdevice_set.filter(confirmed=True).exists(),
        },
        status=status,
    )


@require_http_methods(["GET"])
def account_detail(request, public_id):
    return _render_account(request, _account_or_404(request, public_id))


def _account_action(service, done: str):
    @require_POST
    def view(request, public_id):
        account = _account_or_404(request, public_id)
        if account.pk == request.user.pk:
            raise PermissionDenied  # not one's own account: ask a colleague or an admin
        service(account=account, by=request.user)
        messages.success(request, done.format(name=account.full_name))
        return redirect("accounts:account_detail", public_id=account.public_id)

    return view


account_deactivate = _account_action(
    team_services.account_deactivate, "{name} can no longer sign in"
)
account_reactivate = _account_action(team_services.account_reactivate, "{name} can sign in again")
account_two_factor_reset = _account_action(
    team_services.account_two_factor_reset,
    "{name}'s authenticator has been removed. They will set up a new one when they next sign in",
)


@require_POST
def account_role(request, public_id):
    account = _account_or_404(request, public_id)
    if account.pk == request.user.pk:
        raise PermissionDenied
    form = RoleForm(request.POST, roles=team_selectors.grantable_roles(request.user))
    if not form.is_valid():
        return _render_account(request, account, role_form=form)
    team_services.account_role_change(
        account=account, role=form.cleaned_data["role"], by=request.user
    )
    account.refresh_from_db()
    messages.success(request, f"{account.full_name} is now a {account.get_role_display().lower()}")
    return redirect("accounts:account_detail", public_id=account.public_id)


# --- The invitation link (public) ---------------------------------------------------------


def _unusable(request, reason: str):
    return render(
        request,
        "accounts/invitation_unusable.html",
        {"reason": reason},
        status=404 if reason == "unknown" else 410,
    )


def _problem(invitation: Invitation | None) -> str:
    if invitation is None:
        return "unknown"
    if invitation.accepted_at is not None or team_selectors.email_has_account(invitation.email):
        return "used"
    if not invitation.is_pending() or not invitation.invited_by.is_active:
        return "expired"
    return ""


@login_not_required
@require_http_methods(["GET", "POST"])
def invitation(request, token):
    found = team_selectors.invitation_for_token(token)
    problem = _problem(found)
    if problem:
        return _unusable(request, problem)
    # An unsaved user, so the password validators can compare the password with the name
    # and email address.
    person = User(email=found.email, full_name=found.full_name)
    form = InvitationPasswordForm(person, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            user = team_services.invitation_accept(
                token=token, password=form.cleaned_data["new_password1"]
            )
        except team_services.InvitationUnusable as unusable:
            return _unusable(request, unusable.reason)
        login(request, user, backend="talkingmoves.accounts.backends.UserWithOrganisationBackend")
        access_log_write(actor=user, action=AccessAction.LOGIN, obj=user)
        # Roles that see clinical data enrol an authenticator next (two_factor_view).
        return redirect("accounts:two_factor" if user.needs_two_factor else "core:home")
    return render(request, "accounts/invitation_accept.html", {"invitation": found, "form": form})
