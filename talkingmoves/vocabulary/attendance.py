"""What a provider records for one person at one session of an activity (its register)."""

from django.db import models


class SessionAttendance(models.TextChoices):
    ATTENDED = "attended", "Attended"
    # Stored as "did_not_attend" since the first register; shown to providers as "Missed".
    MISSED = "did_not_attend", "Missed"
    CANCELLED = "cancelled", "Cancelled"
