"""Signed, expiring, single-purpose links in service users' messages. The token carries only
the nudge's id, so it answers for one message to one person and nothing else."""

from datetime import timedelta

from django.core import signing
from django.urls import reverse

ANSWER_SALT = "referrals.nudges.answer"
ANSWER_MAX_AGE = timedelta(days=14)


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=ANSWER_SALT)


def answer_token(nudge) -> str:
    return _signer().sign(str(nudge.pk))


def nudge_id_for_token(token: str) -> str:
    """The nudge id in a genuine, in-date token. Raises signing.SignatureExpired or
    signing.BadSignature otherwise."""
    return _signer().unsign(token, max_age=ANSWER_MAX_AGE)


def answer_path(nudge) -> str:
    return reverse("nudges:answer", kwargs={"token": answer_token(nudge)})


# The "getting active" message links to a page of local options: its own salt, so an options
# link cannot answer a question and an answer link cannot open the options.
OPTIONS_SALT = "referrals.nudges.options"


def _options_signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=OPTIONS_SALT)


def options_token(nudge) -> str:
    return _options_signer().sign(str(nudge.pk))


def nudge_id_for_options_token(token: str) -> str:
    """As nudge_id_for_token, for options links."""
    return _options_signer().unsign(token, max_age=ANSWER_MAX_AGE)


def options_path(nudge) -> str:
    return reverse("nudges:options", kwargs={"token": options_token(nudge)})
