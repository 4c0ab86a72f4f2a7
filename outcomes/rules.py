"""NHS Talking Therapies outcome rules, once: pure functions, no database, no Django.

Sources and the reasoning behind every threshold: ../shared/reference/clinical-definitions.md
(sections 1-4). Thresholds are inclusive (>= 10, >= 8, >= 6, >= 4). Only the GAD-7 is used
for anxiety, so results match national figures for depression, generalised anxiety and mixed
presentations, not for specific anxiety disorders (which use their own measures).
"""

from dataclasses import dataclass

from talkingmoves.vocabulary.questionnaires import GAD7_BANDS, PHQ9_BANDS, WSAS_BANDS

PHQ9_MAX = 27
GAD7_MAX = 21
WSAS_MAX = 40
PHQ9_CASENESS = 10
GAD7_CASENESS = 8
PHQ9_RELIABLE_CHANGE = 6
GAD7_RELIABLE_CHANGE = 4
FINISHED_TREATMENT_SESSIONS = 2
ACTIVE_DAYS_RECOMMENDED = 5
# Sport England Active Lives: moderate-equivalent minutes a week (vigorous counts double).
FAIRLY_ACTIVE_MINUTES = 30
ACTIVE_MINUTES = 150


def _check(total: int, maximum: int, name: str) -> None:
    if not isinstance(total, int) or isinstance(total, bool) or not 0 <= total <= maximum:
        raise ValueError(f"{name} total must be a whole number from 0 to {maximum}")


def _band(total: int, bands) -> str:
    """The band a checked total falls in; bands are (upper bound, label), the last the top."""
    return str(next(label for upper, label in bands if total <= upper))


def phq9_band(total: int) -> str:
    _check(total, PHQ9_MAX, "PHQ-9")
    return _band(total, PHQ9_BANDS)


def gad7_band(total: int) -> str:
    _check(total, GAD7_MAX, "GAD-7")
    return _band(total, GAD7_BANDS)


def wsas_band(total: int) -> str:
    _check(total, WSAS_MAX, "WSAS")
    return _band(total, WSAS_BANDS)


def moderate_equivalent_minutes(moderate: int, vigorous: int) -> int:
    if moderate < 0 or vigorous < 0:
        raise ValueError("Minutes cannot be negative")
    return moderate + 2 * vigorous


def activity_level(moderate: int, vigorous: int) -> str:
    """Sport England level: inactive < 30, fairly active 30-149, active >= 150 minutes."""
    minutes = moderate_equivalent_minutes(moderate, vigorous)
    if minutes < FAIRLY_ACTIVE_MINUTES:
        return "Inactive"
    if minutes < ACTIVE_MINUTES:
        return "Fairly active"
    return "Active"


def meets_activity_recommendation(days: int) -> bool:
    """Single-item measure: 30+ minutes on at least 5 days in the past week."""
    if not 0 <= days <= 7:
        raise ValueError("Days must be from 0 to 7")
    return days >= ACTIVE_DAYS_RECOMMENDED


def at_caseness(phq9: int, gad7: int) -> bool:
    return phq9 >= PHQ9_CASENESS or gad7 >= GAD7_CASENESS


@dataclass(frozen=True)
class Assessment:
    """Outcome flags for one episode. None means "not in that denominator" (or, when
    `computable` is False, that the first and last scores are not paired)."""

    computable: bool
    finished_treatment: bool
    caseness_at_start: bool | None = None
    caseness_at_end: bool | None = None
    recovered: bool | None = None
    reliably_improved: bool | None = None
    reliably_recovered: bool | None = None
    reliably_deteriorated: bool | None = None
    no_reliable_change: bool | None = None
    phq9_change: int | None = None
    gad7_change: int | None = None


def assess(
    *,
    first_phq9: int | None,
    first_gad7: int | None,
    last_phq9: int | None,
    last_gad7: int | None,
    treatment_sessions: int,
) -> Assessment:
    """Apply the national definitions to an ended episode's first and last scores.

    The caller passes None for a last score when the first and last are the same
    administration. Without both measures paired nothing is computable; with fewer than two
    attended treatment sessions the episode is in no outcome denominator.
    """
    for value, maximum, name in (
        (first_phq9, PHQ9_MAX, "PHQ-9"),
        (last_phq9, PHQ9_MAX, "PHQ-9"),
        (first_gad7, GAD7_MAX, "GAD-7"),
        (last_gad7, GAD7_MAX, "GAD-7"),
    ):
        if value is not None:
            _check(value, maximum, name)
    if treatment_sessions < 0:
        raise ValueError("Treatment sessions cannot be negative")
    finished = treatment_sessions >= FINISHED_TREATMENT_SESSIONS
    if None in (first_phq9, first_gad7, last_phq9, last_gad7):
        return Assessment(computable=False, finished_treatment=finished)

    phq9_change = last_phq9 - first_phq9
    gad7_change = last_gad7 - first_gad7
    start = at_caseness(first_phq9, first_gad7)
    end = at_caseness(last_phq9, last_gad7)
    if not finished:
        return Assessment(
            computable=True,
            finished_treatment=False,
            caseness_at_start=start,
            caseness_at_end=end,
            phq9_change=phq9_change,
            gad7_change=gad7_change,
        )

    improved_on_one = phq9_change <= -PHQ9_RELIABLE_CHANGE or gad7_change <= -GAD7_RELIABLE_CHANGE
    deteriorated_on_one = phq9_change >= PHQ9_RELIABLE_CHANGE or gad7_change >= GAD7_RELIABLE_CHANGE
    # Improvement on one measure with deterioration on the other is neither.
    reliably_improved = improved_on_one and not deteriorated_on_one
    reliably_deteriorated = deteriorated_on_one and not improved_on_one
    recovered = (not end) if start else None
    return Assessment(
        computable=True,
        finished_treatment=True,
        caseness_at_start=start,
        caseness_at_end=end,
        recovered=recovered,
        reliably_improved=reliably_improved,
        reliably_recovered=(recovered and reliably_improved) if start else None,
        reliably_deteriorated=reliably_deteriorated,
        no_reliable_change=not reliably_improved and not reliably_deteriorated,
        phq9_change=phq9_change,
        gad7_change=gad7_change,
    )
