"""Why a clinician has something to do about one of their service users (referrals/worklist)."""

from django.db import models


class TaskKind(models.TextChoices):
    PROVIDER_DECLINED = "provider_declined", "The provider declined a referral"
    AUTO_DECLINED = "auto_declined", "A referral was declined: the provider did not answer"
    PROVIDER_SILENT = "provider_silent", "The provider has not answered a referral yet"
    CALL_ME = "call_me", "Asked to be called"
    UNANSWERED = "unanswered", "Has not answered a message asking how it went"
    NOT_YET = "not_yet", "Has not managed to go yet"
    TEXT_REPLY = "text_reply", "Replied to a text message"
    # Activity plans (outcomes/plans/checkins.py): the follow-up call the research names, and
    # a person who has stopped saying how their weeks went (a task, never another message).
    PLAN_WEEK_6_CALL = "plan_week_6_call", "Call about their activity plan (week 6)"
    PLAN_MISSED = "plan_missed", "Has not answered two weekly check-ins in a row"
