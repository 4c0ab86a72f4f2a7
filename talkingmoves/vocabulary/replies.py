"""Text-message replies from service users, and the record of their messages being stopped
and started again."""

from django.db import models


class ReplyKind(models.TextChoices):
    ANSWER = "answer", "Answered by number"
    STOP = "stop", "Texted STOP"
    FREE_TEXT = "free_text", "Wrote a reply"


class MessagesChange(models.TextChoices):
    STOPPED = "stopped", "Messages stopped"
    RESTARTED = "restarted", "Messages started again"


class MessagesChangeSource(models.TextChoices):
    TEXT_REPLY = "text_reply", "by a text reply"
    MESSAGE_LINK = "message_link", "from the link in a message"
    CLINICIAN = "clinician", "by a clinician, at the service user's request"


# Words that, alone or with a few polite extras, ask for no more texts. Mobile networks and
# GOV.UK Notify treat STOP and its usual variants this way; so do we.
STOP_WORDS = frozenset({"stop", "stopall", "unsubscribe", "end", "quit", "cancel", "optout"})
# Said with a stop word without changing its meaning ("STOP please", "stop all messages").
STOP_EXTRAS = frozenset(
    {"please", "pls", "all", "now", "it", "them", "these", "messages", "message", "texts"}
    | {"text", "texting", "thanks", "thank", "you", "me", "out", "opt"}
)
