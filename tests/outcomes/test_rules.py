"""The national definitions, edge by edge (clinical-definitions.md section 3)."""

import pytest

from outcomes import rules


@pytest.mark.parametrize(
    "total,band",
    [
        (0, "Minimal"),
        (4, "Minimal"),
        (5, "Mild"),
        (9, "Mild"),
        (10, "Moderate"),
        (14, "Moderate"),
        (15, "Moderately severe"),
        (19, "Moderately severe"),
        (20, "Severe"),
        (27, "Severe"),
    ],
)
def test_phq9_bands(total, band):
    assert rules.phq9_band(total) == band


@pytest.mark.parametrize(
    "total,band",
    [
        (0, "Minimal"),
        (4, "Minimal"),
        (5, "Mild"),
        (9, "Mild"),
        (10, "Moderate"),
        (14, "Moderate"),
        (15, "Severe"),
        (21, "Severe"),
    ],
)
def test_gad7_bands(total, band):
    assert rules.gad7_band(total) == band


@pytest.mark.parametrize(
    "func,total",
    [(rules.phq9_band, 28), (rules.phq9_band, -1), (rules.gad7_band, 22), (rules.gad7_band, True)],
)
def test_bands_refuse_impossible_totals(func, total):
    with pytest.raises(ValueError):
        func(total)


@pytest.mark.parametrize(
    "moderate,vigorous,level",
    [
        (0, 0, "Inactive"),
        (29, 0, "Inactive"),
        (30, 0, "Fairly active"),
        (0, 15, "Fairly active"),  # vigorous counts double
        (14, 7, "Inactive"),  # 28 moderate-equivalent
        (149, 0, "Fairly active"),
        (150, 0, "Active"),
        (0, 75, "Active"),
        (100, 24, "Fairly active"),  # 148
        (100, 25, "Active"),
    ],
)
def test_sport_england_activity_level(moderate, vigorous, level):
    assert rules.activity_level(moderate, vigorous) == level


@pytest.mark.parametrize("days,meets", [(0, False), (4, False), (5, True), (7, True)])
def test_single_item_recommendation(days, meets):
    assert rules.meets_activity_recommendation(days) is meets


def assess(first_phq9, first_gad7, last_phq9, last_gad7, sessions=6):
    return rules.assess(
        first_phq9=first_phq9,
        first_gad7=first_gad7,
        last_phq9=last_phq9,
        last_gad7=last_gad7,
        treatment_sessions=sessions,
    )


@pytest.mark.parametrize(
    "phq9,gad7,case",
    [
        (10, 0, True),  # PHQ-9 threshold is inclusive
        (9, 7, False),  # both one below
        (0, 8, True),  # GAD-7 threshold is inclusive (8, not the screening 10)
        (9, 8, True),
        (27, 21, True),
    ],
)
def test_caseness_thresholds(phq9, gad7, case):
    assert rules.at_caseness(phq9, gad7) is case
    assert assess(phq9, gad7, 0, 0).caseness_at_start is case


def test_recovered_and_reliably_recovered():
    result = assess(18, 14, 6, 5)
    assert result.computable and result.finished_treatment
    assert result.caseness_at_start is True and result.caseness_at_end is False
    assert result.recovered is True
    assert result.reliably_improved is True
    assert result.reliably_recovered is True
    assert result.reliably_deteriorated is False
    assert result.no_reliable_change is False
    assert (result.phq9_change, result.gad7_change) == (-12, -9)


def test_recovered_without_reliable_improvement_is_not_reliable_recovery():
    # 10 -> 9 and 8 -> 7: below both thresholds at the end, but only a 1-point fall.
    result = assess(10, 8, 9, 7)
    assert result.recovered is True
    assert result.reliably_improved is False
    assert result.reliably_recovered is False
    assert result.no_reliable_change is True


@pytest.mark.parametrize(
    "first_phq9,last_phq9,first_gad7,last_gad7,improved,deteriorated",
    [
        (16, 10, 5, 5, True, False),  # PHQ-9 falls by exactly 6
        (16, 11, 5, 5, False, False),  # falls by 5
        (5, 5, 12, 8, True, False),  # GAD-7 falls by exactly 4
        (5, 5, 12, 9, False, False),  # falls by 3
        (10, 16, 5, 5, False, True),  # PHQ-9 rises by exactly 6
        (5, 5, 8, 12, False, True),  # GAD-7 rises by exactly 4
        (10, 15, 8, 11, False, False),  # rises by 5 and 3
    ],
)
def test_reliable_change_thresholds_are_inclusive(
    first_phq9, last_phq9, first_gad7, last_gad7, improved, deteriorated
):
    result = assess(first_phq9, first_gad7, last_phq9, last_gad7)
    assert result.reliably_improved is improved
    assert result.reliably_deteriorated is deteriorated
    assert result.no_reliable_change is (not improved and not deteriorated)


@pytest.mark.parametrize(
    "first_phq9,first_gad7,last_phq9,last_gad7",
    [
        (20, 5, 12, 10),  # PHQ-9 improves by 8, GAD-7 deteriorates by 5
        (8, 15, 14, 9),  # PHQ-9 deteriorates by 6, GAD-7 improves by 6
    ],
)
def test_improvement_on_one_with_deterioration_on_the_other_is_neither(
    first_phq9, first_gad7, last_phq9, last_gad7
):
    result = assess(first_phq9, first_gad7, last_phq9, last_gad7)
    assert result.reliably_improved is False
    assert result.reliably_deteriorated is False
    assert result.no_reliable_change is True
    assert result.reliably_recovered is False


@pytest.mark.parametrize("sessions", [0, 1])
def test_fewer_than_two_treatment_sessions_is_in_no_denominator(sessions):
    result = assess(18, 14, 4, 3, sessions=sessions)
    assert result.computable is True
    assert result.finished_treatment is False
    assert result.caseness_at_start is True
    for flag in (
        "recovered",
        "reliably_improved",
        "reliably_recovered",
        "reliably_deteriorated",
        "no_reliable_change",
    ):
        assert getattr(result, flag) is None, flag


def test_two_sessions_is_finished():
    assert assess(18, 14, 4, 3, sessions=2).finished_treatment is True


def test_not_at_caseness_at_start_is_out_of_recovery_but_in_reliable_change():
    result = assess(9, 7, 2, 1)
    assert result.caseness_at_start is False
    assert result.recovered is None
    assert result.reliably_recovered is None
    assert result.reliably_improved is True  # denominator: all finished
    assert result.reliably_deteriorated is False


def test_not_at_caseness_at_start_can_reliably_deteriorate():
    result = assess(4, 3, 12, 9)
    assert result.recovered is None
    assert result.reliably_deteriorated is True
    assert result.caseness_at_end is True


@pytest.mark.parametrize(
    "scores",
    [
        (15, 10, None, 4),  # no second PHQ-9
        (15, None, 6, None),  # no GAD-7 at all
        (None, None, None, None),
        (15, 10, 6, None),
    ],
)
def test_unpaired_scores_are_not_computable(scores):
    result = assess(*scores)
    assert result.computable is False
    assert result.finished_treatment is True
    assert result.recovered is None and result.reliably_improved is None
    assert result.caseness_at_start is None
    assert result.phq9_change is None


def test_assess_refuses_impossible_scores():
    with pytest.raises(ValueError):
        assess(28, 0, 0, 0)
    with pytest.raises(ValueError):
        assess(0, 0, 0, 0, sessions=-1)


def test_result_is_frozen():
    result = assess(18, 14, 6, 5)
    with pytest.raises(AttributeError):
        result.recovered = False
