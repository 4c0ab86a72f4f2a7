"""Signed, expiring, single-use questionnaire links. The token carries only the request's
public id; single use comes from the request's completed_at, expiry from both the signature
and the request's own expires_at."""

from django.utils import timezone

from outcomes.models import MEASURE_REQUEST_LIFETIME, MeasureRequest
from talkingmoves.core.signed_links import LinkError, SignedLink

EXPIRED = "This link has expired. Links to answer questions last 14 days"
USED = "These questions have already been answered. Thank you"
NOT_IN_USE = "This link is no longer in use"
NOT_FOUND = "Page not found"
SELF_COMPLETION = SignedLink(
    salt="outcomes.links.self-completion",
    max_age=MEASURE_REQUEST_LIFETIME,
    expired_message=EXPIRED,
    invalid_message=NOT_FOUND,
)


def measure_request_token(request: MeasureRequest) -> str:
    return SELF_COMPLETION.token(request.public_id)


def measure_request_for_token(token: str) -> MeasureRequest:
    """The request a link is for, if it is genuine, in date and unused. A token that was
    never ours is a 404; a real link that cannot be used any more is a 410."""
    public_id = SELF_COMPLETION.value(token)
    request = (
        MeasureRequest.objects.select_related("episode__service_user")
        .filter(public_id=public_id)
        .first()
    )
    if request is None:
        raise LinkError(NOT_FOUND, 404)
    if request.completed_at is not None:
        raise LinkError(USED, 410)
    if request.expires_at <= timezone.now():
        raise LinkError(EXPIRED, 410)
    episode = request.episode
    # Not refused when the episode has ended since the link was sent: the person may still
    # need help, so their answers are kept (Measure.arrived_late).
    if episode.service_user.erased_at is not None:
        raise LinkError(NOT_IN_USE, 410)
    return request
