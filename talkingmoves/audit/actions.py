from django.db import models


class AccessAction(models.TextChoices):
    """What someone did to a record, as the access log names it (AccessLog.Action)."""

    VIEW = "view", "Viewed"
    CREATE = "create", "Created"
    UPDATE = "update", "Changed"
    EXPORT = "export", "Exported"
    LOGIN = "login", "Signed in"
    LOGOUT = "logout", "Signed out"
    TWO_FACTOR_ENROLLED = "2fa_enrolled", "Set up two-factor authentication"
    ERASE = "erase", "Erased personal data"
    # Accounts run by the services (talkingmoves/accounts/team_services.py).
    INVITE = "invite", "Invited someone to an account"
    INVITATION_ACCEPTED = "invitation_accepted", "Accepted an invitation"
    ACCOUNT_DEACTIVATED = "account_deactivated", "Deactivated an account"
    ACCOUNT_REACTIVATED = "account_reactivated", "Reactivated an account"
    TWO_FACTOR_RESET = "2fa_reset", "Reset two-factor authentication"
    ROLE_CHANGED = "role_changed", "Changed someone's role"
