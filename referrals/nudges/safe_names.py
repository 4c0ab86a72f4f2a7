"""Names that go into a message to a service user, vetted against the clinical word list
(talkingmoves/vocabulary/message_words.py): a provider called "Riverside Talking Therapies"
or an activity called "Active therapy" would tell anyone reading the lock screen why the
person is being messaged. A name that fails is replaced by a neutral one."""

from referrals.nudges.hooks import message_sender_name
from talkingmoves.vocabulary.message_words import (
    DEFAULT_SENDER_NAME,
    NEUTRAL_ACTIVITY,
    NEUTRAL_PROVIDER,
    says_something_clinical,
)


def clean(value: str) -> str:
    return "" if says_something_clinical(value) else (value or "")


def venue_text(venue, *, vetted: bool = True) -> str:
    """Name, first address line and postcode, leaving out any part that fails."""
    parts = (venue.name, venue.address_line_1, venue.postcode)
    return ", ".join(part for part in parts if part and (clean(part) or not vetted))


def activity_name(activity) -> str:
    """The activity's name, or "your activity at <venue>" when the name fails."""
    if clean(activity.name):
        return activity.name
    venue = activity.venue
    place = clean(venue.name) if venue is not None else ""
    if not place and clean(activity.provider.name):
        place = activity.provider.name
    return f"{NEUTRAL_ACTIVITY} at {place}" if place else NEUTRAL_ACTIVITY


def provider_name(provider) -> str:
    return clean(provider.name) or NEUTRAL_PROVIDER


def sender_name(service_id) -> str:
    """Who the message is from: the service's own name for messages, checked again here in
    case the list grew after the lead chose it."""
    return clean(message_sender_name(service_id)) or DEFAULT_SENDER_NAME
