"""PHQ-9, GAD-7, WSAS and activity measures, and item 9 risk flags.

`measures_accept` is the one way a measure arrives, whoever brings it: a clinician's form,
a service user's questionnaire link, an import. Each route checks who may act and then
calls it, so every measure gets the same checks (dates inside the episode, one of each
questionnaire a day, item ranges), the same outcome recompute and the same risk flag and
alerts. The admin cannot add, change or delete measures (outcomes/admin.py).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from outcomes import rules
from outcomes.models import (
    ITEM_FIELDS,
    MINUTES_IN_A_WEEK,
    Episode,
    Measure,
    RiskFlag,
)
from outcomes.services.alerts import risk_alerts_raise
from outcomes.services.common import (
    K,
    OutcomeError,
    log_access,
    refuse_future,
    refuse_outside_episode,
    require_access,
)
from outcomes.services.episodes import episode_recompute_after_change
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


@dataclass(frozen=True)
class MeasureEntry:
    """One questionnaire's answers, item by item, or activity minutes by intensity."""

    kind: str
    answers: Sequence[int | None] | None = None
    moderate_minutes: int | None = None
    vigorous_minutes: int | None = None


class DuplicateMeasure(OutcomeError):
    """The same questionnaire is already recorded for the episode on that date."""


def _day(day: date) -> str:
    return f"{day:%-d %B %Y}"


def _clean_items(kind: str, answers: Sequence[int | None]) -> list[int | None]:
    count, high = ITEM_RANGES[kind]
    cleaned = list(answers)
    if len(cleaned) != count:
        raise OutcomeError(f"{MEASURE_NAMES[kind]} needs {count} answers", "item_1")
    for n, answer in enumerate(cleaned, start=1):
        optional = kind == K.WSAS and n == 1  # the work item: retired or chooses not to work
        if answer is None and optional:
            continue
        if answer is None:
            raise OutcomeError(
                f"Answer question {n}: incomplete questionnaires are refused", f"item_{n}"
            )
        if isinstance(answer, bool) or not isinstance(answer, int) or not 0 <= answer <= high:
            raise OutcomeError(f"Answer to question {n} must be from 0 to {high}", f"item_{n}")
    return cleaned


def _clean_minutes(value, field: str, what: str) -> int:
    if value is None:
        raise OutcomeError(f"Enter {what}, or 0", field)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MINUTES_IN_A_WEEK:
        raise OutcomeError(
            f"{what.capitalize()} must be a whole number from 0 to {MINUTES_IN_A_WEEK:,}", field
        )
    return value


def _arrives_late(episode: Episode, taken_on: date, source: str) -> bool:
    """A service user's answers from a link sent before the episode ended: kept (they may
    raise a risk flag), marked, and outside the episode's outcomes (they are after its end)."""
    return source == Measure.Source.SELF_COMPLETED and bool(
        episode.ended_on and taken_on > episode.ended_on
    )


def _refuse_dates(episode: Episode, taken_on: date, source: str) -> None:
    if _arrives_late(episode, taken_on, source):
        refuse_future(taken_on, "Date completed", "taken_on")
        return
    if episode.ended_on and taken_on > episode.ended_on:
        raise OutcomeError(
            f"This episode ended on {_day(episode.ended_on)}. Reopen the episode to record "
            "answers from a later date",
            "taken_on",
        )
    refuse_outside_episode(episode, taken_on, "Date completed", "taken_on")


def _build(episode: Episode, entry: MeasureEntry, taken_on: date, source: str, by) -> Measure:
    kind = entry.kind
    if kind not in MEASURE_NAMES:
        raise OutcomeError("Choose a questionnaire")
    measure = Measure(
        episode=episode,
        kind=kind,
        taken_on=taken_on,
        source=source,
        recorded_by=by,
        arrived_late=_arrives_late(episode, taken_on, source),
    )
    if kind == K.ACTIVITY_MINUTES:
        moderate = _clean_minutes(
            entry.moderate_minutes, "moderate_minutes", "moderate minutes a week"
        )
        vigorous = _clean_minutes(
            entry.vigorous_minutes, "vigorous_minutes", "vigorous minutes a week"
        )
        measure.moderate_minutes, measure.vigorous_minutes = moderate, vigorous
        measure.total = rules.moderate_equivalent_minutes(moderate, vigorous)
    else:
        items = _clean_items(kind, entry.answers or [])
        for name, value in zip(ITEM_FIELDS, items, strict=False):
            setattr(measure, name, value)
        measure.total = sum(v for v in items if v is not None)
    # The checks above mirror the table's constraints, which the database enforces on save
    # (see _refused_by_the_database); asking it here as well cost a query per constraint.
    # The episode and recorder are the rows already loaded, so they need no look-up either.
    measure.full_clean(
        exclude=["episode", "recorded_by"], validate_unique=False, validate_constraints=False
    )
    return measure


def raises_risk_flag(measure: Measure) -> bool:
    """PHQ-9 item 9 above "not at all". Never reduced to the total."""
    return measure.kind == K.PHQ9 and (measure.item_9 or 0) >= 1


def _names(measures: Sequence[Measure]) -> str:
    names = [Measure.Kind(m.kind).label for m in measures]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _replace(existing: list[Measure], *, by, path: str) -> None:
    """Remove what the new answers replace. A questionnaire that raised a risk flag stays
    (RiskFlag.measure is PROTECT): its flag is reviewed, with a note, instead."""
    for old in existing:
        if old.risk_flags.exists():
            raise OutcomeError(
                f"The {Measure.Kind(old.kind).label} recorded for {_day(old.taken_on)} raised "
                "a risk flag, so it is kept and cannot be replaced. If it was entered in "
                "error, say so in the flag's review note",
                "taken_on",
            )
    for old in existing:
        log_access(by=by, action=AccessAction.UPDATE, obj=old, path=path)
        old.delete()


def _refused_by_the_database(error: IntegrityError) -> ValidationError:
    """The message full_clean() would have given for the constraint the row broke."""
    name = getattr(getattr(error.__cause__, "diag", None), "constraint_name", None)
    for constraint in Measure._meta.constraints:
        if constraint.name == name:
            return ValidationError(constraint.get_violation_error_message())
    return ValidationError("These answers could not be stored: check them and try again")


def measures_accept(
    *,
    episode: Episode,
    taken_on: date,
    entries: Sequence[MeasureEntry],
    source: str,
    by,
    path: str = "",
    system_actor: str = "",
    replace: bool = False,
) -> tuple[list[Measure], list[RiskFlag]]:
    """Store one or more measures taken on one day, whatever route brought them. The caller
    has checked who may act. Returns the measures and the risk flags they raised (each
    already alerted: see services/alerts.py). A row the database refuses rolls back
    everything this call stored and is refused as full_clean() would refuse it."""
    try:
        return _accept(
            episode=episode,
            taken_on=taken_on,
            entries=entries,
            source=source,
            by=by,
            path=path,
            system_actor=system_actor,
            replace=replace,
        )
    except IntegrityError as error:
        raise _refused_by_the_database(error) from error


@transaction.atomic
def _accept(
    *,
    episode: Episode,
    taken_on: date,
    entries: Sequence[MeasureEntry],
    source: str,
    by,
    path: str = "",
    system_actor: str = "",
    replace: bool = False,
) -> tuple[list[Measure], list[RiskFlag]]:
    episode = (
        Episode.objects.select_for_update(of=("self",))
        .select_related("service_user__assigned_clinician")
        .get(pk=episode.pk)
    )
    if episode.service_user.erased_at is not None:
        raise OutcomeError("This record has been erased")
    if not entries or len({e.kind for e in entries}) != len(entries):
        raise OutcomeError("Choose each questionnaire once")
    _refuse_dates(episode, taken_on, source)
    measures = [_build(episode, entry, taken_on, source, by) for entry in entries]
    # Two of the same questionnaire on one day would pass for a first and a last score. The
    # episode row is locked above, so two submissions cannot both pass this check.
    existing = list(episode.measures.filter(kind__in=[m.kind for m in measures], taken_on=taken_on))
    if existing and replace:
        _replace(existing, by=by, path=path)
    elif existing and not (
        # A service user's answers raising a risk flag are never turned away: the alert
        # must reach a person. (The link's page refuses before they start answering, so
        # this is only a clinician recording the same questionnaire while they answer.)
        source == Measure.Source.SELF_COMPLETED and any(map(raises_risk_flag, measures))
    ):
        raise DuplicateMeasure(
            f"{_names(existing)} {'is' if len(existing) == 1 else 'are'} already recorded for "
            f"{_day(taken_on)}. Check the date, or replace the answers recorded for that date",
            "taken_on",
        )
    flags = []
    for measure in measures:
        measure.save()
        if raises_risk_flag(measure):
            flags.append(
                RiskFlag.objects.create(service_user=episode.service_user, measure=measure)
            )
        log_access(
            by=by,
            system_actor=system_actor,
            action=AccessAction.CREATE,
            obj=measure,
            path=path,
        )
    episode_recompute_after_change(episode=episode)
    for flag in flags:
        risk_alerts_raise(flag)
    return measures, flags


def measure_record(
    *,
    episode: Episode,
    kind: str,
    taken_on: date,
    by,
    answers: Sequence[int | None] | None = None,
    moderate_minutes: int | None = None,
    vigorous_minutes: int | None = None,
    replace: bool = False,
    path: str = "",
) -> Measure:
    """A clinician records a questionnaire (item by item) or activity; the total is derived."""
    require_access(by, episode.service_user)
    entry = MeasureEntry(kind, answers, moderate_minutes, vigorous_minutes)
    measures, _ = measures_accept(
        episode=episode,
        taken_on=taken_on,
        entries=[entry],
        source=Measure.Source.CLINICIAN,
        by=by,
        path=path,
        replace=replace,
    )
    return measures[0]


def activity_record(
    *,
    episode: Episode,
    taken_on: date,
    days: int,
    moderate_minutes: int | None,
    vigorous_minutes: int | None,
    by,
    replace: bool = False,
    path: str = "",
) -> list[Measure]:
    """Active days always; minutes by intensity when both are given."""
    require_access(by, episode.service_user)
    entries = [MeasureEntry(K.ACTIVITY_DAYS, [days])]
    if moderate_minutes is not None or vigorous_minutes is not None:
        entries.append(
            MeasureEntry(
                K.ACTIVITY_MINUTES,
                moderate_minutes=moderate_minutes,
                vigorous_minutes=vigorous_minutes,
            )
        )
    measures, _ = measures_accept(
        episode=episode,
        taken_on=taken_on,
        entries=entries,
        source=Measure.Source.CLINICIAN,
        by=by,
        path=path,
        replace=replace,
    )
    return measures


def measures_import(
    *,
    episode: Episode,
    taken_on: date,
    entries: Sequence[MeasureEntry],
    by,
    path: str = "",
) -> tuple[list[Measure], list[RiskFlag]]:
    """Measures brought in from another system (a spreadsheet, a FHIR QuestionnaireResponse)
    by a signed-in member of staff: the same checks, flags and alerts as the form."""
    require_access(by, episode.service_user)
    return measures_accept(
        episode=episode,
        taken_on=taken_on,
        entries=entries,
        source=Measure.Source.IMPORTED,
        by=by,
        path=path,
    )


@transaction.atomic
def risk_flag_review(*, flag: RiskFlag, note: str, by, path: str = "") -> RiskFlag:
    """Close a flag with a note of the review. Flags are never deleted; the note is what
    resolves one, and its alerts stop escalating."""
    flag = RiskFlag.objects.select_for_update().select_related("service_user").get(pk=flag.pk)
    require_access(by, flag.service_user)
    if not flag.is_open:
        raise OutcomeError("This risk flag has already been reviewed")
    if not note.strip():
        raise OutcomeError("Enter a note of the review", "note")
    flag.reviewed_at = timezone.now()
    flag.reviewed_by = by
    flag.review_note = note.strip()
    flag.escalate_at = None
    flag.full_clean()
    flag.save()
    log_access(by=by, action=AccessAction.UPDATE, obj=flag.service_user, path=path)
    return flag
