"""Signed, expiring, single-use questionnaire links. The token carries only the request's
public id; single use comes from the request's completed_at, expiry from both the signature
and the request's own expires_at."""

from django.core import signing
from django.utils import timezone

from .models import MEASURE_REQUEST_LIFETIME, MeasureRequest

# One salt per purpose, so a token minted for another kind of link cannot open this one.
SELF_COMPLETION_SALT = "outcomes.links.self-completion"


class LinkError(Exception):
    """A link that cannot be used, with a message fit to show and an HTTP status."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=SELF_COMPLETION_SALT)


def measure_request_token(request: MeasureRequest) -> str:
    return _signer().sign(str(request.public_id))


EXPIRED = "This link has expired. Links to answer questions last 14 days"
USED = "These questions have already been answered. Thank you"
NOT_IN_USE = "This link is no longer in use"


def measure_request_for_token(token: str) -> MeasureRequest:
    """The request a link is for, if it is genuine, in date and unused. A token that was
    never ours is a 404; a real link that cannot be used any more is a 410."""
    try:
        public_id = _signer().unsign(token, max_age=MEASURE_REQUEST_LIFETIME)
    except signing.SignatureExpired:
        raise LinkError(EXPIRED, 410) from None
    except signing.BadSignature:
        raise LinkError("Page not found", 404) from None
    request = (
        MeasureRequest.objects.select_related("episode__service_user")
        .filter(public_id=public_id)
        .first()
    )
    if request is None:
        raise LinkError("Page not found", 404)
    if request.completed_at is not None:
        raise LinkError(USED, 410)
    if request.expires_at <= timezone.now():
        raise LinkError(EXPIRED, 410)
    episode = request.episode
    if episode.ended_on is not None or episode.service_user.erased_at is not None:
        raise LinkError(NOT_IN_USE, 410)
    return request
