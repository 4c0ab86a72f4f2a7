"""Why a clinician has something to do about one of their service users (referrals/worklist)."""

from django.db import models


class TaskKind(models.TextChoices):
    PROVIDER_DECLINED = "provider_declined", "The provider declined a referral"
    AUTO_DECLINED = "auto_declined", "A referral was declined: the provider did not answer"
    PROVIDER_SILENT = "provider_silent", "The provider has not answered a referral yet"
    CALL_ME = "call_me", "Asked for a call"
    UNANSWERED = "unanswered", "Has not answered a message asking how it went"
    NOT_YET = "not_yet", "Has not managed to go yet"
    TEXT_REPLY = "text_reply", "Replied to a text message"
