"""What a service user can answer through the link in a message."""

from django.db import models


class Answer(models.TextChoices):
    WENT = "went", "I went"
    NOT_YET = "not_yet", "Not yet"
    CALL_ME = "call_me", "I'd like someone to call me"
    STOP = "stop", "Stop these messages"
