"""Signed, expiring, single-use links that let a provider answer a referral without signing
in. The token carries only the referral's public id; single use comes from the referral's
state (a link works only while the referral is still `sent`)."""

from datetime import timedelta

from referrals.models import Referral
from referrals.pathway import services
from talkingmoves.core.signed_links import LinkError, SignedLink
from talkingmoves.vocabulary.referral import NO_LONGER_NEEDED

S = Referral.Status

# One salt per purpose, so a token minted for one kind of link cannot open another.
PROVIDER_ANSWER_SALT = "referrals.links.provider-answer"
LINK_MAX_AGE = timedelta(days=14)
LINK_ACTOR = "provider (signed link)"


NOT_VALID = "This link is not valid. Check you copied all of it"
PROVIDER_ANSWER = SignedLink(
    salt=PROVIDER_ANSWER_SALT,
    max_age=LINK_MAX_AGE,
    expired_message="This link has expired. Links to answer a referral last 14 days",
    invalid_message=NOT_VALID,
    invalid_status=400,
)


def provider_link_token(referral: Referral) -> str:
    return PROVIDER_ANSWER.token(referral.public_id)


def referral_for_token(token: str) -> Referral:
    """The referral a provider link is for, if the link is genuine, in date and unused."""
    public_id = PROVIDER_ANSWER.value(token)
    referral = (
        Referral.objects.select_related("service_user", "activity")
        .filter(public_id=public_id, kind=Referral.Kind.REFER)
        .first()
    )
    if referral is None:
        raise LinkError(NOT_VALID, 400)
    if referral.status == S.WITHDRAWN and referral.answered_at is None:
        raise LinkError(f"This referral is {NO_LONGER_NEEDED.lower()}", 410)
    if referral.status != S.SENT:
        raise LinkError("This referral has already been answered", 410)
    return referral


def answer_by_link(referral: Referral, *, to: str, note: str = "", **changes) -> Referral:
    """Accept or decline for a provider who has no account in hand."""
    return services.referral_answer_by_link(
        referral=referral, to=to, link_actor=LINK_ACTOR, note=note, **changes
    )
