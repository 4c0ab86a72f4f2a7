"""Days of the week and parts of the day: when sessions run, and when a person can go."""

from datetime import time

from django.db import models


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


# iCal (RFC 5545) BYDAY codes, by weekday number: Open Referral and some OpenActive feeds use them.
ICAL_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


class TimeOfDay(models.TextChoices):
    MORNING = "morning", "Morning"
    AFTERNOON = "afternoon", "Afternoon"
    EVENING = "evening", "Evening"


# When a session must start to count as in each part of the day (start inclusive, end not).
TIME_BANDS = {
    TimeOfDay.MORNING: (time(0, 0), time(12, 0)),
    TimeOfDay.AFTERNOON: (time(12, 0), time(17, 0)),
    TimeOfDay.EVENING: (time(17, 0), time(23, 59, 59)),
}
# The directory search's filter says where each part of the day begins and ends.
TIME_BAND_CHOICES = [
    (TimeOfDay.MORNING, f"{TimeOfDay.MORNING.label} (before 12pm)"),
    (TimeOfDay.AFTERNOON, f"{TimeOfDay.AFTERNOON.label} (12pm to 5pm)"),
    (TimeOfDay.EVENING, f"{TimeOfDay.EVENING.label} (after 5pm)"),
]
