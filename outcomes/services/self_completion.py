"""Questionnaire links a service user completes on their own phone."""

from collections.abc import Mapping

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from outcomes.links import measure_request_token
from outcomes.models import (
    Episode,
    Measure,
    MeasureRequest,
)
from outcomes.services.alerts import duty_contact_missing
from outcomes.services.common import K, OutcomeError, log_access, require_access
from outcomes.services.measures import DuplicateMeasure, MeasureEntry, measures_accept
from referrals.nudges.services import nudge_to_service_user
from talkingmoves.audit.actions import AccessAction

SELF_COMPLETION_ACTOR = "service user (questionnaire link)"


SELF_COMPLETION_KINDS = (K.PHQ9, K.GAD7, K.ACTIVITY_DAYS)


def self_completion_path(request: MeasureRequest) -> str:
    return reverse("outcomes:self_complete", kwargs={"token": measure_request_token(request)})


def _send_questionnaire_link(request: MeasureRequest) -> None:
    nudge_to_service_user(
        service_user=request.episode.service_user,
        template="measures_request",
        link_path=self_completion_path(request),
    )


@transaction.atomic
def measure_request_create(
    *, episode: Episode, by, kinds: list[str] | None = None, path: str = ""
) -> MeasureRequest:
    episode = Episode.objects.select_related("service_user").get(pk=episode.pk)
    require_access(by, episode.service_user)
    if not episode.is_open:
        raise OutcomeError("This episode has ended, so no questionnaire can be sent")
    if duty_contact_missing(episode.service_id):
        # Answers may raise a risk flag with no clinician in the room: someone must be on duty.
        raise OutcomeError(
            "Questionnaire links are turned off until your service has a duty contact for "
            "risk alerts. Ask a service lead to add one"
        )
    person = episode.service_user
    if not (person.email or person.mobile):
        raise OutcomeError("Add an email address or mobile number before sending a link")
    if person.nudges_stopped_at is not None:
        raise OutcomeError("The service user asked us to stop sending messages")
    if not (
        (person.email and person.consent_email_at) or (person.mobile and person.consent_sms_at)
    ):
        raise OutcomeError("Record consent to email or text messages before sending a link")
    kinds = list(kinds or SELF_COMPLETION_KINDS)
    if any(kind not in SELF_COMPLETION_KINDS for kind in kinds):
        raise OutcomeError("Choose questionnaires a service user can complete themselves")
    request = MeasureRequest.objects.create(episode=episode, requested_by=by, kinds=kinds)
    _send_questionnaire_link(request)
    log_access(by=by, action=AccessAction.UPDATE, obj=person, path=path)
    return request


ALREADY_ANSWERED_TODAY = (
    "Your answers to these questions have already been recorded today. You can use this link "
    "again tomorrow"
)


def measure_request_refusal(request: MeasureRequest) -> str:
    """Why the link's questions cannot be answered now ("" when they can), asked before the
    service user starts: one of each questionnaire a day, as for every other route."""
    already = Measure.objects.filter(
        episode_id=request.episode_id, kind__in=request.kinds, taken_on=timezone.localdate()
    )
    return ALREADY_ANSWERED_TODAY if already.exists() else ""


@transaction.atomic
def measure_request_complete(
    *, request: MeasureRequest, answers: Mapping[str, list[int | None]]
) -> tuple[list[Measure], bool]:
    """Store a service user's own answers as self-completed measures, through the same entry
    point as every other route. A request is used once. Returns the measures and whether a
    risk flag was raised."""
    request = MeasureRequest.objects.select_for_update().get(pk=request.pk)
    if request.completed_at is not None:
        raise OutcomeError("These questions have already been answered")
    if request.expires_at <= timezone.now():
        raise OutcomeError("This link has expired")
    episode = Episode.objects.select_related("service_user").get(pk=request.episode_id)
    # An episode that ended after the link was sent does not turn the answers away: they
    # are kept as arrived late, and an item 9 answer still raises a flag and its alerts.
    if episode.service_user.erased_at:
        raise OutcomeError("This link is no longer in use")
    entries = [MeasureEntry(kind, answers.get(kind)) for kind in request.kinds]
    path = reverse("outcomes:self_complete", kwargs={"token": "-"})  # never the token itself
    try:
        measures, flags = measures_accept(
            episode=episode,
            taken_on=timezone.localdate(),
            entries=entries,
            source=Measure.Source.SELF_COMPLETED,
            by=None,
            path=path,
            system_actor=SELF_COMPLETION_ACTOR,
        )
    except DuplicateMeasure:
        raise OutcomeError(ALREADY_ANSWERED_TODAY) from None
    request.completed_at = timezone.now()
    request.save(update_fields=["completed_at"])
    return measures, bool(flags)
