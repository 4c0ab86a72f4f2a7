"""PHQ-9, GAD-7, WSAS and activity measures entered by a clinician; item 9 risk flags."""

from datetime import date
from typing import cast

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from outcomes import rules
from outcomes.models import (
    ITEM_FIELDS,
    MINUTES_IN_A_WEEK,
    Episode,
    Measure,
    OutcomeSettings,
    RiskFlag,
)
from outcomes.services.common import (
    K,
    OutcomeError,
    log_access,
    refuse_outside_episode,
    require_access,
)
from outcomes.services.episodes import episode_recompute
from referrals.nudges.services import nudge_to_staff
from talkingmoves.accounts.roles import Role
from talkingmoves.audit.actions import AccessAction

ITEM_RANGES: dict[str, tuple[int, int]] = {
    K.PHQ9: (9, 3),
    K.GAD7: (7, 3),
    K.WSAS: (5, 8),
    K.ACTIVITY_DAYS: (1, 7),
}


MEASURE_NAMES: dict[str, str] = {
    K.PHQ9: "PHQ-9",
    K.GAD7: "GAD-7",
    K.WSAS: "WSAS",
    K.ACTIVITY_DAYS: "Active days",
    K.ACTIVITY_MINUTES: "Activity minutes",
}


def _clean_items(kind: str, answers: list[int | None]) -> list[int | None]:
    count, high = ITEM_RANGES[kind]
    answers = list(answers)
    if len(answers) != count:
        raise OutcomeError(f"{MEASURE_NAMES[kind]} needs {count} answers", "item_1")
    for n, answer in enumerate(answers, start=1):
        optional = kind == K.WSAS and n == 1  # the work item: retired or chooses not to work
        if answer is None and optional:
            continue
        if answer is None:
            raise OutcomeError(
                f"Answer question {n}: incomplete questionnaires are refused", f"item_{n}"
            )
        if isinstance(answer, bool) or not isinstance(answer, int) or not 0 <= answer <= high:
            raise OutcomeError(f"Answer to question {n} must be from 0 to {high}", f"item_{n}")
    return answers


def _clean_minutes(value, field: str, what: str) -> int:
    if value is None:
        raise OutcomeError(f"Enter {what}, or 0", field)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MINUTES_IN_A_WEEK:
        raise OutcomeError(
            f"{what.capitalize()} must be a whole number from 0 to {MINUTES_IN_A_WEEK:,}", field
        )
    return value


def measure_build(
    *,
    episode: Episode,
    kind: str,
    taken_on: date,
    answers: list[int | None] | None,
    moderate_minutes: int | None,
    vigorous_minutes: int | None,
    source: str,
    by,
) -> Measure:
    if kind not in MEASURE_NAMES:
        raise OutcomeError("Choose a questionnaire")
    refuse_outside_episode(episode, taken_on, "Date completed", "taken_on")
    measure = Measure(episode=episode, kind=kind, taken_on=taken_on, source=source, recorded_by=by)
    if kind == K.ACTIVITY_MINUTES:
        moderate = _clean_minutes(moderate_minutes, "moderate_minutes", "moderate minutes a week")
        vigorous = _clean_minutes(vigorous_minutes, "vigorous_minutes", "vigorous minutes a week")
        measure.moderate_minutes, measure.vigorous_minutes = moderate, vigorous
        measure.total = rules.moderate_equivalent_minutes(moderate, vigorous)
    else:
        items = _clean_items(kind, answers or [])
        for name, value in zip(ITEM_FIELDS, items, strict=False):
            setattr(measure, name, value)
        measure.total = sum(v for v in items if v is not None)
    measure.full_clean()
    return measure


def measure_save(measure: Measure, *, path: str, system_actor: str = "") -> RiskFlag | None:
    measure.save()
    flag = None
    # item_9 is never None on a PHQ-9: _clean_items requires every item but WSAS's first.
    if measure.kind == K.PHQ9 and cast(int, measure.item_9) >= 1:
        # Never reduced to the total: any answer above "not at all" is flagged.
        flag = RiskFlag.objects.create(
            service_user_id=measure.episode.service_user_id, measure=measure
        )
    log_access(
        by=measure.recorded_by,
        system_actor=system_actor,
        action=AccessAction.CREATE,
        obj=measure,
        path=path,
    )
    return flag


@transaction.atomic
def measure_record(
    *,
    episode: Episode,
    kind: str,
    taken_on: date,
    by,
    answers: list[int | None] | None = None,
    moderate_minutes: int | None = None,
    vigorous_minutes: int | None = None,
    path: str = "",
) -> Measure:
    """A clinician records a questionnaire (item by item) or activity; the total is derived."""
    episode = Episode.objects.select_for_update().select_related("service_user").get(pk=episode.pk)
    require_access(by, episode.service_user)
    measure = measure_build(
        episode=episode,
        kind=kind,
        taken_on=taken_on,
        answers=answers,
        moderate_minutes=moderate_minutes,
        vigorous_minutes=vigorous_minutes,
        source=Measure.Source.CLINICIAN,
        by=by,
    )
    # Two of the same questionnaire on one day would pass for a first and a last score.
    if episode.measures.filter(kind=kind, taken_on=taken_on).exists():
        raise OutcomeError(
            f"{Measure.Kind(kind).label} is already recorded for {taken_on:%-d %B %Y}",
            "taken_on",
        )
    measure_save(measure, path=path)
    if kind in (K.PHQ9, K.GAD7):
        episode_recompute(episode=episode)
    return measure


@transaction.atomic
def activity_record(
    *,
    episode: Episode,
    taken_on: date,
    days: int,
    moderate_minutes: int | None,
    vigorous_minutes: int | None,
    by,
    path: str = "",
) -> list[Measure]:
    """Active days always; minutes by intensity when both are given."""
    measures = [
        measure_record(
            episode=episode,
            kind=K.ACTIVITY_DAYS,
            taken_on=taken_on,
            answers=[days],
            by=by,
            path=path,
        )
    ]
    if moderate_minutes is not None or vigorous_minutes is not None:
        measures.append(
            measure_record(
                episode=episode,
                kind=K.ACTIVITY_MINUTES,
                taken_on=taken_on,
                moderate_minutes=moderate_minutes,
                vigorous_minutes=vigorous_minutes,
                by=by,
                path=path,
            )
        )
    return measures


@transaction.atomic
def risk_flag_review(*, flag: RiskFlag, note: str, by, path: str = "") -> RiskFlag:
    flag = RiskFlag.objects.select_for_update().select_related("service_user").get(pk=flag.pk)
    require_access(by, flag.service_user)
    if not flag.is_open:
        raise OutcomeError("This risk flag has already been reviewed")
    if not note.strip():
        raise OutcomeError("Enter a note of the review", "note")
    flag.reviewed_at = timezone.now()
    flag.reviewed_by = by
    flag.review_note = note.strip()
    flag.full_clean()
    flag.save()
    log_access(by=by, action=AccessAction.UPDATE, obj=flag.service_user, path=path)
    return flag


# --- Self-completion --------------------------------------------------------------------


def risk_alert_schedule(flag: RiskFlag) -> None:
    """Tell the assigned clinician and the duty inbox that something needs review; if neither
    can be reached, the service's leads. The message holds no clinical detail: it only says
    to sign in."""
    person = flag.service_user
    link = reverse("referrals:record", kwargs={"public_id": person.public_id})
    clinician = person.assigned_clinician
    recipients = [clinician] if clinician is not None and clinician.is_active else []
    duty = OutcomeSettings.for_service(person.service_id).duty_contact_email
    if not recipients and not duty:
        recipients = list(
            get_user_model().objects.filter(
                organisation_id=person.service_id, role=Role.SERVICE_LEAD, is_active=True
            )
        )
    for user in recipients:
        nudge_to_staff(template="risk_alert", user=user, service_user=person, link_path=link)
    if duty:
        nudge_to_staff(template="risk_alert", email=duty, service_user=person, link_path=link)
