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
