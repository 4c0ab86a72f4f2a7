"""Applying a large file stays behind the one measure door, only cheaper: each episode is
recomputed once per import (in the same transaction), the database enforces the measure
constraints instead of a query per constraint, and a row it refuses gets full_clean()'s
message and stores nothing. Query counts are pinned; times are in bench/measures_import.py."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from outcomes import services
from outcomes.measures_import import read_upload
from outcomes.measures_import.applying import apply_checked
from outcomes.measures_import.checking import check_records
from outcomes.models import Measure
from outcomes.services import measures as measure_services
from outcomes.services.episodes import episode_recompute_after_change
from tests.outcomes.measures_import.support import ALAN, iaptus, row

FIRST = ["3"] * 8 + ["0"]  # PHQ-9 total 24
LATER = ["1"] * 8 + ["0"]  # total 8
QUERIES_PER_PERSON_DATE = 9  # lock, duplicate check, 2 measures, 2 access logs, savepoint


def checked_file(service, rows):
    read = read_upload(iaptus(rows), filename="scores.csv")
    return check_records(read.records, service=service, found=read.errors)


def test_each_episode_is_recomputed_once_at_the_end_of_the_import(
    service, lead, grace_episode, alan_episode, duty, django_assert_max_num_queries
):
    rows = [row(on="01/02/2026", phq9=FIRST, gad7=["3"] * 7)]
    rows += [row(on=f"{d:02d}/02/2026", phq9=LATER, gad7=["1"] * 7) for d in range(2, 28)]
    rows += [row(nhs=ALAN, on=f"{d:02d}/01/2026", phq9=LATER) for d in range(5, 31)]
    checked = checked_file(service, rows)
    person_dates = len(rows)
    # Before batching, each person-date cost about 85 queries (a recompute after every one).
    with django_assert_max_num_queries(QUERIES_PER_PERSON_DATE * person_dates + 40):
        applied = apply_checked(checked, by=lead)
    assert (applied.measures, applied.errors) == (27 * 2 + 26, [])
    grace_episode.refresh_from_db()
    assert (grace_episode.first_phq9, grace_episode.last_phq9) == (24, 8)
    assert (grace_episode.first_gad7, grace_episode.last_gad7) == (21, 7)
    alan_episode.refresh_from_db()
    assert (alan_episode.first_phq9, alan_episode.last_phq9) == (8, 8)
    stored = {f: getattr(grace_episode, f) for f in services.OUTCOME_FIELDS}
    services.episode_recompute(episode=grace_episode)
    assert {f: getattr(grace_episode, f) for f in services.OUTCOME_FIELDS} == stored


def test_valid_rows_chosen_are_recomputed_too(service, lead, grace_episode, duty):
    checked = checked_file(service, [row(on="01/02/2026", phq9=FIRST), row(nhs=ALAN, phq9=LATER)])
    applied = apply_checked(checked, by=lead, apply_valid_rows=True)
    assert applied.measures == 1 and [e.row for e in applied.errors] == ["3"]
    grace_episode.refresh_from_db()
    assert grace_episode.first_phq9 == 24


def test_a_row_the_database_refuses_gets_full_cleans_message_and_stores_nothing(
    clinician, grace_episode, monkeypatch
):
    # Nothing valid reaches the database this way (the items are checked first), so let an
    # out-of-range answer past that check to see the database refuse it.
    monkeypatch.setattr(measure_services, "_clean_items", lambda kind, answers: list(answers))
    with pytest.raises(ValidationError) as refused:
        services.measure_record(
            episode=grace_episode,
            kind="phq9",
            taken_on=date(2026, 3, 1),
            answers=[1] * 8 + [4],
            by=clinician,
        )
    assert refused.value.messages == ["PHQ-9 needs 9 answers from 0 to 3 (total 0 to 27)"]
    assert not Measure.objects.exists()
    grace_episode.refresh_from_db()  # the surrounding transaction is still usable


def test_an_import_that_fails_recomputes_nothing(grace_episode, monkeypatch):
    """The recompute runs only when the block ends without an error, in its transaction
    (the tests' own transaction stands in for the apply job's)."""
    calls = []
    monkeypatch.setattr(
        "outcomes.services.episodes.episodes_recompute", lambda episodes: calls.append(episodes)
    )
    with (
        pytest.raises(ZeroDivisionError),
        transaction.atomic(),
        services.episodes_recompute_once(),
    ):
        episode_recompute_after_change(episode=grace_episode)
        1 / 0  # noqa: B018
    assert calls == []
    with transaction.atomic(), services.episodes_recompute_once():
        episode_recompute_after_change(episode=grace_episode)
        episode_recompute_after_change(episode=grace_episode)
    [episodes] = calls
    assert [e.pk for e in episodes] == [grace_episode.pk]
