"""How a person likes to be contacted, and the channels a message can go by."""

from django.db import models


class ContactChannel(models.TextChoices):
    EMAIL = "email", "Email"
    SMS = "sms", "Text message"
    PHONE = "phone", "Phone call"


class MessageChannel(models.TextChoices):
    """The contact channels a message can be sent by (a phone call is not a message)."""

    EMAIL = ContactChannel.EMAIL.value, ContactChannel.EMAIL.label
    SMS = ContactChannel.SMS.value, ContactChannel.SMS.label
