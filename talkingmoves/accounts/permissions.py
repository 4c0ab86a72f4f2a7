"""The one place that answers "may this user do X (to this object)?".

Views ask through `can()` / `require()` or the `permission_required` decorator; templates get
`can_<action>` flags from the navigation context processor. A wrong role is a 403. Objects
outside the user's organisation are never found in the first place: see `scoping.py`.
"""

from enum import StrEnum
from functools import wraps

from django.core.exceptions import PermissionDenied

from .models import Role


class Action(StrEnum):
    VIEW_SERVICE_USERS = "view_service_users"  # caseload, records, screening, measures
    MANAGE_REFERRALS = "manage_referrals"  # refer, signpost, withdraw
    VIEW_SERVICE_DASHBOARD = "view_service_dashboard"  # outcomes, equity, exports
    MANAGE_SERVICE_SETTINGS = "manage_service_settings"  # nudge schedule, invitations
    MANAGE_DIRECTORY = "manage_directory"  # listings one's organisation keeps (providers.scopes)
    SEARCH_DIRECTORY = "search_directory"
    VIEW_PROVISION_GAPS = "view_provision_gaps"
    ANSWER_REFERRALS = "answer_referrals"  # provider inbox: accept, decline, attendance
    # Follow-up messages: counts, failures and retry, and what the local gateway stored
    # (a service lead: their own service's only).
    VIEW_OUTBOX = "view_outbox"
    MANAGE_DATA_RIGHTS = "manage_data_rights"  # subject access export, erasure
    # Scores from the service's clinical record (CSV export, FHIR): outcomes/measures_import.
    IMPORT_MEASURES = "import_measures"
    # Invite, deactivate, reset the authenticator of and change the role of the people of
    # one's own service (team_selectors.GRANTABLE_ROLES says which roles).
    MANAGE_TEAM = "manage_team"
    # Invite and deactivate staff of the providers listed in one's partnership's area.
    MANAGE_PROVIDER_ACCOUNTS = "manage_provider_accounts"


ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    Role.CLINICIAN: frozenset(
        {Action.VIEW_SERVICE_USERS, Action.MANAGE_REFERRALS, Action.SEARCH_DIRECTORY}
    ),
    Role.SERVICE_LEAD: frozenset(
        {
            Action.VIEW_SERVICE_USERS,
            Action.MANAGE_REFERRALS,
            Action.SEARCH_DIRECTORY,
            Action.VIEW_SERVICE_DASHBOARD,
            Action.MANAGE_SERVICE_SETTINGS,
            Action.MANAGE_DIRECTORY,  # the service's own in-house offers only
            Action.MANAGE_DATA_RIGHTS,
            Action.VIEW_OUTBOX,
            Action.IMPORT_MEASURES,
            Action.MANAGE_TEAM,
        }
    ),
    Role.PARTNERSHIP_STAFF: frozenset(
        {
            Action.MANAGE_DIRECTORY,
            Action.SEARCH_DIRECTORY,
            Action.VIEW_PROVISION_GAPS,
            Action.MANAGE_PROVIDER_ACCOUNTS,
        }
    ),
    Role.PROVIDER_STAFF: frozenset({Action.ANSWER_REFERRALS, Action.MANAGE_DIRECTORY}),
}
ADMIN_ACTIONS = frozenset({Action.VIEW_OUTBOX})


def allowed_actions(user) -> frozenset[Action]:
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    actions = ROLE_ACTIONS.get(user.role, frozenset())
    if user.is_superuser:
        actions = actions | ADMIN_ACTIONS
    return actions


def _organisation_of(obj):
    """The organisation an object belongs to, for object-level checks."""
    if obj is None:
        return None
    if hasattr(obj, "owning_organisation_id"):
        return obj.owning_organisation_id
    return getattr(obj, "organisation_id", None)


def can(user, action: Action, obj=None) -> bool:
    if action not in allowed_actions(user):
        return False
    if obj is None or user.is_superuser:
        return True
    return _organisation_of(obj) == user.organisation_id


def require(user, action: Action, obj=None) -> None:
    if not can(user, action, obj):
        raise PermissionDenied


def permission_required(action: Action):
    """View decorator: 403 for a signed-in user whose role does not allow `action`.

    Anonymous users never reach it: LoginRequiredMiddleware sends them to the login page.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            require(request.user, action)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
