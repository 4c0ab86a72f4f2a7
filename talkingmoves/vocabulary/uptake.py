"""Whether a person took up physical activity during an episode of Talking Therapies care:
the groups the service lead's outcome comparison is made between (outcomes/uptake.py says
exactly how an episode is put in one)."""

from django.db import models


class ActivityGroup(models.TextChoices):
    # A session the provider recorded as attended (its register), in the episode's window.
    TOOK_UP = "took_up", "Took up activity (recorded by the provider)"
    # Only the person's own word: "I went" through a message link, or a signposting the
    # clinician marked as taken up.
    SELF_REPORTED = "self_reported", "Self-reported activity only"
    NOT_TAKEN_UP = "not_taken_up", "Referred, did not take up"
    NOT_REFERRED = "not_referred", "Not referred"
