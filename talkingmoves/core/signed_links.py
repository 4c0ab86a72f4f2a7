"""Signed, expiring links for people without an account: a provider answering a referral, a
service user answering a message, opening local options or filling in a questionnaire.

A token carries only an id. Each purpose has its own salt, so a token made for one kind of
link cannot open another. What makes a link single use (a referral answered, a questionnaire
completed) is the caller's check on its own rows.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.core import signing


class LinkError(Exception):
    """A link that cannot be used, with a message fit to show and an HTTP status."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class SignedLink:
    salt: str
    max_age: timedelta
    expired_message: str
    invalid_message: str
    invalid_status: int = 404

    def token(self, value) -> str:
        return signing.TimestampSigner(salt=self.salt).sign(str(value))

    def value(self, token: str) -> str:
        """The id in a genuine, in-date token; LinkError otherwise."""
        try:
            return signing.TimestampSigner(salt=self.salt).unsign(token, max_age=self.max_age)
        except signing.SignatureExpired:
            raise LinkError(self.expired_message, 410) from None
        except signing.BadSignature:
            raise LinkError(self.invalid_message, self.invalid_status) from None
