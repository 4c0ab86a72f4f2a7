"""How a service user would like to take part, as their record keeps it, and the directory
search's filters worded from the same values. A blank stored value means no preference."""

from decimal import Decimal

from django.db import models

from talkingmoves.vocabulary.activities import DeliveryMode, Format

EITHER_LABEL = "Either"
ANY_COST_LABEL = "Any cost"
# What "low cost" means, in the search and on a record.
LOW_COST_LIMIT = Decimal("5.00")


class DeliveryPreference(models.TextChoices):
    IN_PERSON = DeliveryMode.IN_PERSON.value, DeliveryMode.IN_PERSON.label
    ONLINE = DeliveryMode.ONLINE.value, DeliveryMode.ONLINE.label
    ANY = "any", EITHER_LABEL


class FormatPreference(models.TextChoices):
    GROUP = Format.GROUP.value, "In a group"
    ONE_TO_ONE = Format.ONE_TO_ONE.value, Format.ONE_TO_ONE.label
    # Stored as blank: the NHS.UK radios cannot offer "" as a value.
    EITHER = "either", EITHER_LABEL


class CostPreference(models.TextChoices):
    FREE = "free", "Free only"
    LOW = "low", "Free or low cost"
    # Stored as blank, like FormatPreference.EITHER.
    ANY = "any", "Cost is not a concern"


# The costs the search can filter by; blank (any cost) filters nothing.
COST_LIMITS = (CostPreference.FREE, CostPreference.LOW)
COST_FILTER_CHOICES = [
    ("", ANY_COST_LABEL),
    (CostPreference.FREE, "Free"),
    (CostPreference.LOW, f"Free or low cost (£{LOW_COST_LIMIT:.0f} or less)"),
]
FORMAT_FILTER_CHOICES = [("", EITHER_LABEL), *Format.choices]
