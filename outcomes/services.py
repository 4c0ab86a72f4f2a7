"""Operations on episodes, appointments, measures, risk flags and self-completion requests.

Each runs in one transaction, checks that the actor may see the service user (clinicians and
leads of the service), refuses bad input with an `OutcomeError` naming the form field, and
recomputes the episode's derived outcome columns through `rules.assess`.
"""

from collections.abc import Iterable, Mapping
from datetime import date
from typing import cast

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from outcomes import rules
from outcomes.links import measure_request_token
from outcomes.models import (
    ITEM_FIELDS,
    MINUTES_IN_A_WEEK,
    Appointment,
    Episode,
    Measure,
    MeasureRequest,
    OutcomeSettings,
    RiskFlag,
)
from referrals.models import ServiceUser
from referrals.nudges.services import nudge_to_service_user, nudge_to_staff
from talkingmoves.accounts.permissions import Action, can
from talkingmoves.accounts.roles import Role
from talkingmoves.audit.actions import AccessAction
from talkingmoves.audit.services import access_log_write

K = Measure.Kind
SELF_COMPLETION_ACTOR = "service user (questionnaire link)"
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
SELF_COMPLETION_KINDS = (K.PHQ9, K.GAD7, K.ACTIVITY_DAYS)


class OutcomeError(Exception):
    """Input a service refuses, with a message fit to show and the form field it is about."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def _require(by, service_user: ServiceUser) -> None:
    if not can(by, Action.VIEW_SERVICE_USERS, service_user) or service_user.erased_at:
        raise PermissionDenied


def _log(*, by, action, obj, path: str = "", system_actor: str = "") -> None:
    access_log_write(
        actor=by,
        system_actor=system_actor if by is None else "",
        action=action,
        obj=obj,
        path=path,
    )


def _not_in_future(day: date, what: str, field: str) -> None:
    if day > timezone.localdate():
        raise OutcomeError(f"{what} must be today or in the past", field)


def _within_episode(episode: Episode, day: date, what: str, field: str) -> None:
    _not_in_future(day, what, field)
    if day < episode.referral_received_on:
        raise OutcomeError(
            f"{what} must be on or after the referral date, "
            f"{episode.referral_received_on:%-d %B %Y}",
            field,
        )
    if episode.ended_on and day > episode.ended_on:
        raise OutcomeError(
            f"{what} must be on or before the episode ended, {episode.ended_on:%-d %B %Y}",
            field,
        )


# --- Derived outcome columns ------------------------------------------------------------


def outcome_columns(
    episode: Episode, measures: Iterable[Measure], appointments: Iterable[Appointment]
) -> dict:
    """The derived columns for an episode from its loaded rows (no queries), so seeding and
    the live services compute them the same way."""
    end = episode.ended_on
    scores: dict[str, list[Measure]] = {K.PHQ9: [], K.GAD7: []}
    for measure in measures:
        if measure.kind in scores and (end is None or measure.taken_on <= end):
            scores[measure.kind].append(measure)
    firsts, lasts = {}, {}
    for kind, rows in scores.items():
        rows.sort(key=lambda m: (m.taken_on, m.recorded_at, m.pk or 0))
        firsts[kind] = rows[0].total if rows else None
        # The same administration cannot be both first and last.
        lasts[kind] = rows[-1].total if len(rows) > 1 else None
    sessions = sum(
        1 for a in appointments if a.counts_as_treatment and (end is None or a.on <= end)
    )
    columns = {
        "first_phq9": firsts[K.PHQ9],
        "first_gad7": firsts[K.GAD7],
        "last_phq9": lasts[K.PHQ9],
        "last_gad7": lasts[K.GAD7],
        "treatment_sessions": sessions,
    }
    assessment = rules.assess(
        first_phq9=firsts[K.PHQ9],
        first_gad7=firsts[K.GAD7],
        last_phq9=lasts[K.PHQ9],
        last_gad7=lasts[K.GAD7],
        treatment_sessions=sessions,
    )
    flags = (
        "caseness_at_start",
        "caseness_at_end",
        "recovered",
        "reliably_improved",
        "reliably_recovered",
        "reliably_deteriorated",
        "no_reliable_change",
    )
    columns["phq9_change"] = assessment.phq9_change
    columns["gad7_change"] = assessment.gad7_change
    if end is None:
        # Outcomes belong to ended episodes; until then only the start is known.
        columns["finished_treatment"] = None
        columns.update(dict.fromkeys(flags))
        phq9, gad7 = firsts[K.PHQ9], firsts[K.GAD7]
        columns["caseness_at_start"] = (
            rules.at_caseness(phq9, gad7) if phq9 is not None and gad7 is not None else None
        )
        return columns
    columns["finished_treatment"] = assessment.finished_treatment
    columns.update({flag: getattr(assessment, flag) for flag in flags})
    return columns


OUTCOME_FIELDS = [
    "first_phq9",
    "first_gad7",
    "last_phq9",
    "last_gad7",
    "treatment_sessions",
    "finished_treatment",
    "caseness_at_start",
    "caseness_at_end",
    "recovered",
    "reliably_improved",
    "reliably_recovered",
    "reliably_deteriorated",
    "no_reliable_change",
    "phq9_change",
    "gad7_change",
]


def episode_recompute(*, episode: Episode) -> Episode:
    columns = outcome_columns(
        episode,
        episode.measures.filter(kind__in=[K.PHQ9, K.GAD7]),
        episode.appointments.all(),
    )
    for name, value in columns.items():
        setattr(episode, name, value)
    Episode.objects.filter(pk=episode.pk).update(**columns)
    return episode


def episodes_recompute(episodes: Iterable[Episode]) -> int:
    """Recompute many episodes in a few queries (demo seeding, benchmarks, repairs)."""
    ids = [e.pk for e in episodes]
    loaded = Episode.objects.filter(pk__in=ids).prefetch_related("measures", "appointments")
    changed = []
    for episode in loaded:
        columns = outcome_columns(episode, episode.measures.all(), episode.appointments.all())
        for name, value in columns.items():
            setattr(episode, name, value)
        changed.append(episode)
    Episode.objects.bulk_update(changed, OUTCOME_FIELDS, batch_size=500)
    return len(changed)


# --- Episodes and appointments ----------------------------------------------------------


@transaction.atomic
def episode_open(
    *,
    service_user: ServiceUser,
    referral_received_on: date,
    referral_source: str,
    step: int | None,
    by,
    path: str = "",
) -> Episode:
    _require(by, service_user)
    _not_in_future(referral_received_on, "Referral date", "referral_received_on")
    if service_user.episodes.filter(ended_on__isnull=True).exists():
        raise OutcomeError("This service user already has an open episode. End it first")
    episode = Episode(
        service_user=service_user,
        service_id=service_user.service_id,
        referral_received_on=referral_received_on,
        referral_source=referral_source,
        step=step,
        created_by=by,
    )
    episode.full_clean()
    try:
        with transaction.atomic():
            episode.save()
    except IntegrityError:
        raise OutcomeError("This service user already has an open episode. End it first") from None
    _log(by=by, action=AccessAction.CREATE, obj=episode, path=path)
    return episode


@transaction.atomic
def episode_end(
    *, episode: Episode, ended_on: date, ending_reason: str, by, path: str = ""
) -> Episode:
    episode = Episode.objects.select_for_update().select_related("service_user").get(pk=episode.pk)
    _require(by, episode.service_user)
    if episode.ended_on is not None:
        raise OutcomeError("This episode has already ended")
    _not_in_future(ended_on, "Ending date", "ended_on")
    if ended_on < episode.referral_received_on:
        raise OutcomeError(
            "Ending date must be on or after the referral date, "
            f"{episode.referral_received_on:%-d %B %Y}",
            "ended_on",
        )
    last = episode.appointments.order_by("-on").values_list("on", flat=True).first()
    if last and ended_on < last:
        raise OutcomeError(
            f"Ending date must be on or after the last appointment, {last:%-d %B %Y}",
            "ended_on",
        )
    episode.ended_on = ended_on
    episode.ending_reason = ending_reason
    episode.full_clean()
    episode.save(update_fields=["ended_on", "ending_reason"])
    episode_recompute(episode=episode)
    _log(by=by, action=AccessAction.UPDATE, obj=episode, path=path)
    return episode


@transaction.atomic
def appointment_record(
    *, episode: Episode, on: date, kind: str, attendance: str, by, path: str = ""
) -> Appointment:
    episode = Episode.objects.select_for_update().select_related("service_user").get(pk=episode.pk)
    _require(by, episode.service_user)
    _within_episode(episode, on, "Appointment date", "on")
    # A second identical entry is a double submission (the episode row is locked above), and
    # would count as a second treatment session.
    if episode.appointments.filter(on=on, kind=kind).exists():
        raise OutcomeError(
            f"{Appointment.Kind(kind).label} appointment on {on:%-d %B %Y} is already recorded",
            "on",
        )
    appointment = Appointment(
        episode=episode, on=on, kind=kind, attendance=attendance, recorded_by=by
    )
    appointment.full_clean()
    appointment.save()
    episode_recompute(episode=episode)
    _log(by=by, action=AccessAction.CREATE, obj=episode, path=path)
    return appointment


# --- Measures and risk flags ------------------------------------------------------------


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


def _build_measure(
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
    _within_episode(episode, taken_on, "Date completed", "taken_on")
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


def _save_measure(measure: Measure, *, path: str, system_actor: str = "") -> RiskFlag | None:
    measure.save()
    flag = None
    # item_9 is never None on a PHQ-9: _clean_items requires every item but WSAS's first.
    if measure.kind == K.PHQ9 and cast(int, measure.item_9) >= 1:
        # Never reduced to the total: any answer above "not at all" is flagged.
        flag = RiskFlag.objects.create(
            service_user_id=measure.episode.service_user_id, measure=measure
        )
    _log(
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
    _require(by, episode.service_user)
    measure = _build_measure(
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
    _save_measure(measure, path=path)
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
    _require(by, flag.service_user)
    if not flag.is_open:
        raise OutcomeError("This risk flag has already been reviewed")
    if not note.strip():
        raise OutcomeError("Enter a note of the review", "note")
    flag.reviewed_at = timezone.now()
    flag.reviewed_by = by
    flag.review_note = note.strip()
    flag.full_clean()
    flag.save()
    _log(by=by, action=AccessAction.UPDATE, obj=flag.service_user, path=path)
    return flag


# --- Self-completion --------------------------------------------------------------------


def self_completion_path(request: MeasureRequest) -> str:
    return reverse("outcomes:self_complete", kwargs={"token": measure_request_token(request)})


def _send_questionnaire_link(request: MeasureRequest) -> None:
    nudge_to_service_user(
        service_user=request.episode.service_user,
        template="measures_request",
        link_path=self_completion_path(request),
    )


def _alert_risk(flag: RiskFlag) -> None:
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


@transaction.atomic
def measure_request_create(
    *, episode: Episode, by, kinds: list[str] | None = None, path: str = ""
) -> MeasureRequest:
    episode = Episode.objects.select_related("service_user").get(pk=episode.pk)
    _require(by, episode.service_user)
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
    _log(by=by, action=AccessAction.UPDATE, obj=person, path=path)
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
        measure = _build_measure(
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
        flag = _save_measure(measure, path=path, system_actor=SELF_COMPLETION_ACTOR)
        if flag is not None:
            flags.append(flag)
    request.completed_at = timezone.now()
    request.save(update_fields=["completed_at"])
    episode_recompute(episode=episode)
    for flag in flags:
        _alert_risk(flag)
    return measures, bool(flags)
