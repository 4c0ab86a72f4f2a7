"""What a service user can answer through the link in a message."""

from django.db import models


class Answer(models.TextChoices):
    WENT = "went", "I went"
    NOT_YET = "not_yet", "Not yet"
    CALL_ME = "call_me", "I'd like someone to call me"
    STOP = "stop", "Stop these messages"
    # Answers the acceptance confirmation offers instead of "I went" / "Not yet".
    CANT_MAKE_IT = "cant_make_it", "I can't make it"


class NotYetReason(models.TextChoices):
    """What got in the way, asked after "Not yet". Most are also barriers on the record
    (talkingmoves.vocabulary.barriers), where the values match."""

    COST = "cost", "The cost"
    CONFIDENCE = "confidence", "Feeling confident enough to go"
    TIME = "time", "Finding the time"
    TRAVEL = "travel", "Getting there"
    HEALTH_CONDITION = "health_condition", "My health"
    OTHER = "other", "Something else"


class NotYetHelp(models.TextChoices):
    """What would help, asked after "Not yet"."""

    SOMETHING_ELSE = "something_else", "Something else nearby"
    CALL = "call", "A call from my practitioner"
    REMIND_LATER = "remind_later", "Remind me later"
