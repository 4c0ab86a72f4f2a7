"""Signed, expiring, single-purpose links in service users' messages. The token carries only
the nudge's id, so it answers for one message to one person and nothing else."""

from datetime import timedelta

from django.urls import reverse

from talkingmoves.core.signed_links import SignedLink

ANSWER_MAX_AGE = timedelta(days=14)
NOT_VALID = "This link is not valid. Check you copied all of it"
EXPIRED = "This link has expired. Links in our messages last 14 days"

ANSWER = SignedLink(
    salt="referrals.nudges.answer",
    max_age=ANSWER_MAX_AGE,
    expired_message=EXPIRED,
    invalid_message=NOT_VALID,
)
# The "getting active" message links to a page of local options: its own salt, so an options
# link cannot answer a question and an answer link cannot open the options.
OPTIONS = SignedLink(
    salt="referrals.nudges.options",
    max_age=ANSWER_MAX_AGE,
    expired_message=EXPIRED,
    invalid_message=NOT_VALID,
)


def answer_token(nudge) -> str:
    return ANSWER.token(nudge.pk)


def answer_path(nudge) -> str:
    return reverse("nudges:answer", kwargs={"token": answer_token(nudge)})


def options_token(nudge) -> str:
    return OPTIONS.token(nudge.pk)


def options_path(nudge) -> str:
    return reverse("nudges:options", kwargs={"token": options_token(nudge)})


# A shortlist sent from the record: its own salt, like the options page.
SHORTLIST = SignedLink(
    salt="referrals.nudges.shortlist",
    max_age=ANSWER_MAX_AGE,
    expired_message=EXPIRED,
    invalid_message=NOT_VALID,
)


def shortlist_path(nudge) -> str:
    return reverse("nudges:shortlist_page", kwargs={"token": SHORTLIST.token(nudge.pk)})
