"""Why a referral was declined."""

from django.db import models


class DeclineReason(models.TextChoices):
    FULL = "full", "No places available"
    NOT_SUITABLE = "not_suitable", "Not suitable for this person"
    CANNOT_CONTACT = "cannot_contact", "Could not contact the person"
    PERSON_DECLINED = "person_declined", "The person decided not to come"
    # Set only by the 14-day auto-decline; providers never choose it.
    NO_RESPONSE = "no_response", "No response from the provider in 14 days"
    OTHER = "other", "Another reason"


# What a provider sees of a referral the service closed (withdrawn, consent to share
# withdrawn, record erased): no reason, no name, nothing clinical.
NO_LONGER_NEEDED = "No longer needed"
