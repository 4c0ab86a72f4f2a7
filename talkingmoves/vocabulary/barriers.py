"""What might get in the way of a person being active."""

from django.db import models


class Barrier(models.TextChoices):
    MOTIVATION = "motivation", "Motivation"
    COST = "cost", "Cost"
    TRAVEL = "travel", "Travel"
    TIME = "time", "Time"
    CONFIDENCE = "confidence", "Confidence"
    HEALTH_CONDITION = "health_condition", "A health condition"
    SOCIAL_ANXIETY = "social_anxiety", "Social anxiety"
    CARING = "caring", "Caring responsibilities"
