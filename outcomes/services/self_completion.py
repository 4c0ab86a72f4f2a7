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
from outcomes.services.common import K, OutcomeError, log_access, require_access
from outcomes.services.episodes import episode_recompute
from outcomes.services.measures import measure_build, measure_save, risk_alert_schedule
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


@transaction.atomic
def measure_request_complete(
    *, request: MeasureRequest, answers: Mapping[str, list[int | None]]
) -> tuple[list[Measure], bool]:
    """Store a service user's own answers as self-completed measures. A request is used once.
    Returns the measures and whether a risk flag was raised."""
    request = MeasureRequest.objects.select_for_update().get(pk=request.pk)
    if request.completed_at is not None:
        raise OutcomeError("These questions have already been answered")
    if request.expires_at <= timezone.now():
        raise OutcomeError("This link has expired")
    episode = (
        Episode.objects.select_for_update()
        .select_related("service_user")
        .get(pk=request.episode_id)
    )
    if episode.service_user.erased_at or not episode.is_open:
        raise OutcomeError("This link is no longer in use")
    today = timezone.localdate()
    measures, flags = [], []
    for kind in request.kinds:
        measure = measure_build(
            episode=episode,
            kind=kind,
            taken_on=today,
            answers=answers.get(kind),
            moderate_minutes=None,
            vigorous_minutes=None,
            source=Measure.Source.SELF_COMPLETED,
            by=None,
        )
        measures.append(measure)
    path = reverse("outcomes:self_complete", kwargs={"token": "-"})  # never the token itself
    for measure in measures:
        flag = measure_save(measure, path=path, system_actor=SELF_COMPLETION_ACTOR)
        if flag is not None:
            flags.append(flag)
    request.completed_at = timezone.now()
    request.save(update_fields=["completed_at"])
    episode_recompute(episode=episode)
    for flag in flags:
        risk_alert_schedule(flag)
    return measures, bool(flags)
