"""Checking: each row error, matched within the one service only, and nothing written."""

from datetime import date

import pytest

from outcomes.measures_import import read_upload
from outcomes.measures_import.checking import check_records
from outcomes.models import Measure
from tests.outcomes.factories import EpisodeFactory, measure, phq9_items
from tests.outcomes.measures_import.support import (
    ALAN,
    GRACE,
    NOBODY,
    as_json,
    iaptus,
    questionnaire_response,
    row,
)
from tests.referrals.factories import ServiceUserFactory

PHQ9 = ["1"] * 9
GAD7 = ["1"] * 7


def check(service, rows=None, *, data=None, filename="scores.csv"):
    read = read_upload(data or iaptus(rows), filename=filename)
    return check_records(read.records, service=service, found=read.errors)


def messages(checked) -> list[str]:
    return [str(error) for error in checked.errors]


def test_valid_rows_are_matched_to_the_episode_covering_their_date(
    service, grace_episode, alan_episode
):
    checked = check(
        service,
        [row(phq9=PHQ9, gad7=GAD7, phq9_total="9"), row(nhs=ALAN, on="02/02/2026", gad7=GAD7)],
    )
    assert checked.errors == []
    assert [(v.record.kind, v.episode_id, v.taken_on) for v in checked.valid] == [
        ("phq9", grace_episode.pk, date(2026, 3, 1)),
        ("gad7", grace_episode.pk, date(2026, 3, 1)),
        ("gad7", alan_episode.pk, date(2026, 2, 2)),
    ]
    assert checked.valid[0].answers == [1] * 9
    assert not Measure.objects.exists()


def test_unknown_and_invalid_nhs_numbers(service, grace_episode):
    checked = check(
        service, [row(nhs=NOBODY, phq9=PHQ9), row(nhs="1234567890", phq9=PHQ9), row(nhs="")]
    )
    assert messages(checked) == [
        "Row 4: Row has no PHQ-9 or GAD-7 answers",
        "Row 2: No service user of this service has this NHS number",
        "Row 3: Enter a valid NHS number. Check you have typed it correctly",
    ]


def test_a_person_of_another_service_is_not_found(service, other_service, grace_episode):
    elsewhere = ServiceUserFactory(service=other_service, nhs_number=ALAN)
    EpisodeFactory(service_user=elsewhere)
    checked = check(service, [row(nhs=ALAN, phq9=PHQ9)])
    assert messages(checked) == ["Row 2: No service user of this service has this NHS number"]


def test_an_erased_record_is_not_found(service, grace_episode, grace):
    grace.erased_at = grace_episode.created_at
    grace.save()
    assert check(service, [row(phq9=PHQ9)]).rows_with_errors == 1


@pytest.mark.parametrize(
    ("items", "message"),
    [
        (["1"] * 8 + ["4"], "Row 2, PHQ-9: Answer to question 9 must be from 0 to 3"),
        (["1"] * 8 + ["-1"], "Row 2, PHQ-9: Answer to question 9 must be from 0 to 3"),
        (["1"] * 8 + ["x"], "Row 2, PHQ-9: Answer to question 9 must be from 0 to 3"),
        (["1"] * 8 + ["1.5"], "Row 2, PHQ-9: Answer to question 9 must be from 0 to 3"),
        (["1"] * 7 + ["", ""], "Row 2, PHQ-9: Answers missing for question 8, 9"),
    ],
)
def test_items_outside_0_to_3_or_missing(service, grace_episode, items, message):
    [error] = check(service, [row(phq9=items)]).errors
    assert str(error).startswith(message)


def test_a_total_alone_is_missing_its_items(service, grace_episode):
    [error] = check(service, [row(gad7_total="12")]).errors
    assert str(error).startswith("Row 2, GAD-7: Answers missing for question 1, 2, 3, 4, 5, 6, 7")
    assert "a total alone cannot be imported" in str(error)


def test_a_stated_total_that_disagrees_names_both_totals(service, grace_episode):
    checked = check(service, [row(phq9=PHQ9, phq9_total="12", gad7=GAD7, gad7_total="7")])
    assert messages(checked) == [
        "Row 2, PHQ-9: Stated total 12 does not match the answers, which add up to 9. "
        "Nothing is imported from a total that disagrees"
    ]
    assert [v.record.kind for v in checked.valid] == ["gad7"]


def test_a_fhir_phq9_whose_stated_total_disagrees_is_reported(service, grace_episode):
    resource = questionnaire_response(answers=(3, 3, 3, 3, 0, 0, 0, 0, 2), total=4)
    checked = check(service, data=as_json(resource), filename="phq9.json")
    assert messages(checked) == [
        "Row 1, PHQ-9: Stated total 4 does not match the answers, which add up to 14. "
        "Nothing is imported from a total that disagrees"
    ]
    assert checked.valid == []


@pytest.mark.parametrize(
    ("on", "message"),
    [
        ("03/03/2026", "Row 2: Date must be today or in the past"),
        ("31/02/2026", "Row 2: Date must be a real date, like 31/01/2026"),
        ("", "Row 2: Enter the date the questionnaire was completed"),
    ],
)
def test_dates(service, grace_episode, on, message):
    assert messages(check(service, [row(on=on, phq9=PHQ9)])) == [message]


def test_no_episode_covering_the_date(service, grace_episode, alan_episode):
    checked = check(
        service,
        [row(on="04/01/2026", phq9=PHQ9), row(nhs=ALAN, on="03/02/2026", phq9=PHQ9)],
    )
    assert messages(checked) == [
        "Row 2: No episode of care covers 4 January 2026. Open or reopen the episode first",
        "Row 3: No episode of care covers 3 February 2026. Open or reopen the episode first",
    ]


def test_duplicates_in_the_file_refuse_every_copy(service, grace_episode):
    checked = check(service, [row(phq9=PHQ9), row(gad7=GAD7), row(phq9=["0"] * 9)])
    assert messages(checked) == [
        "Row 2, PHQ-9: The same person, questionnaire and date is also in row 4",
        "Row 4, PHQ-9: The same person, questionnaire and date is also in row 2",
    ]
    assert [v.record.kind for v in checked.valid] == ["gad7"]


def test_a_questionnaire_already_recorded_that_day_is_a_duplicate(service, grace_episode):
    measure(grace_episode, "phq9", phq9_items(5), on=date(2026, 3, 1))
    checked = check(service, [row(phq9=PHQ9, gad7=GAD7)])
    assert messages(checked) == ["Row 2, PHQ-9: Already recorded for 1 March 2026"]


def test_one_query_per_lookup_whatever_the_file_size(
    service, grace_episode, alan_episode, django_assert_max_num_queries
):
    rows = [row(on=f"{d:02d}/02/2026", phq9=PHQ9) for d in range(1, 28)]
    rows += [row(nhs=ALAN, on=f"{d:02d}/01/2026", gad7=GAD7) for d in range(5, 31)]
    read = read_upload(iaptus(rows), filename="scores.csv")
    with django_assert_max_num_queries(3):
        checked = check_records(read.records, service=service)
    assert len(checked.valid) == len(rows) and checked.errors == []
    assert GRACE in {v.record.nhs_number for v in checked.valid}
