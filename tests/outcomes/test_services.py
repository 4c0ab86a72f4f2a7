"""Recording episodes, appointments and measures: rules enforced, totals derived, outcome
columns recomputed, risk flags raised, nothing saved when input is refused."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from outcomes import services
from outcomes.models import Appointment, Episode, Measure, RiskFlag
from outcomes.services import OutcomeError
from talkingmoves.audit.models import AccessLog
from tests.outcomes.factories import AppointmentFactory, gad7_items, measure, phq9_items

pytestmark = pytest.mark.usefixtures("frozen")

TODAY = date(2026, 3, 2)  # the day `frozen` stops the clock on


def record(episode, kind, answers, by, on=date(2026, 2, 1)):
    return services.measure_record(episode=episode, kind=kind, taken_on=on, answers=answers, by=by)


def test_episode_open_copies_the_service_and_logs(person, clinician):
    episode = services.episode_open(
        service_user=person,
        referral_received_on=date(2026, 2, 1),
        referral_source="B1",
        step=3,
        by=clinician,
    )
    assert episode.service == person.service
    assert episode.created_by == clinician
    assert AccessLog.objects.filter(action="create", object_id=str(episode.public_id)).exists()


def test_only_one_open_episode(person, clinician, episode):
    with pytest.raises(OutcomeError, match="already has an open episode"):
        services.episode_open(
            service_user=person,
            referral_received_on=date(2026, 2, 1),
            referral_source="A1",
            step=2,
            by=clinician,
        )
    assert Episode.objects.count() == 1


def test_database_also_refuses_a_second_open_episode(person, episode):
    with pytest.raises(IntegrityError), transaction.atomic():
        Episode.objects.create(
            service_user=person,
            service=person.service,
            referral_received_on=date(2026, 2, 1),
            referral_source="A1",
        )


def test_episode_open_refuses_a_future_referral_date(person, clinician):
    with pytest.raises(OutcomeError, match="today or in the past") as error:
        services.episode_open(
            service_user=person,
            referral_received_on=TODAY + timedelta(days=1),
            referral_source="A1",
            step=None,
            by=clinician,
        )
    assert error.value.field == "referral_received_on"


@pytest.mark.parametrize("role", ["other_clinician", "partnership", "provider", "admin"])
def test_outsiders_cannot_record(cast, episode, role):
    with pytest.raises(PermissionDenied):
        record(episode, "phq9", phq9_items(12), cast[role])
    with pytest.raises(PermissionDenied):
        services.appointment_record(
            episode=episode, on=TODAY, kind="treatment", attendance="attended", by=cast[role]
        )
    assert not Measure.objects.exists() and not Appointment.objects.exists()


def test_lead_may_record(lead, episode):
    assert record(episode, "gad7", gad7_items(9), lead).total == 9


def test_phq9_total_is_derived_from_items(clinician, episode):
    m = record(episode, "phq9", [3, 2, 1, 0, 3, 2, 1, 0, 0], clinician)
    assert m.total == 12
    assert m.item_9 == 0
    assert not RiskFlag.objects.exists()


@pytest.mark.parametrize(
    "kind,answers,message",
    [
        ("phq9", [1] * 8, "needs 9 answers"),
        ("phq9", [1] * 8 + [None], "Answer question 9"),
        ("phq9", [1, 4, 1, 1, 1, 1, 1, 1, 1], "question 2 must be from 0 to 3"),
        ("phq9", [1, -1, 1, 1, 1, 1, 1, 1, 1], "question 2 must be from 0 to 3"),
        ("gad7", [1] * 9, "needs 7 answers"),
        ("gad7", [0, 0, 0, 0, 0, 0, None], "Answer question 7"),
        ("wsas", [9, 0, 0, 0, 0], "question 1 must be from 0 to 8"),
        ("activity_days", [8], "question 1 must be from 0 to 7"),
    ],
)
def test_incomplete_or_out_of_range_answers_are_refused(clinician, episode, kind, answers, message):
    with pytest.raises(OutcomeError, match=message):
        record(episode, kind, answers, clinician)
    assert not Measure.objects.exists()


def test_wsas_work_item_may_be_not_applicable(clinician, episode):
    m = record(episode, "wsas", [None, 4, 5, 6, 2], clinician)
    assert m.total == 17 and m.item_1 is None


@pytest.mark.parametrize(
    "on,message",
    [
        (date(2026, 1, 4), "on or after the referral date, 5 January 2026"),
        (TODAY + timedelta(days=1), "today or in the past"),
    ],
)
def test_measure_dates_must_fall_within_the_episode(clinician, episode, on, message):
    with pytest.raises(OutcomeError, match=message) as error:
        record(episode, "phq9", phq9_items(10), clinician, on=on)
    assert error.value.field == "taken_on"
    assert not Measure.objects.exists()


def test_measure_after_the_episode_ended_is_refused(clinician, episode):
    services.episode_end(
        episode=episode, ended_on=date(2026, 2, 1), ending_reason="46", by=clinician
    )
    with pytest.raises(OutcomeError, match=r"ended on 1 February 2026\. Reopen the episode"):
        record(episode, "phq9", phq9_items(10), clinician, on=date(2026, 2, 2))


def test_item_9_raises_a_risk_flag_whatever_the_total(clinician, episode):
    m = record(episode, "phq9", [0, 0, 0, 0, 0, 0, 0, 0, 1], clinician)
    assert m.total == 1  # minimal, still flagged
    flag = RiskFlag.objects.get()
    assert flag.measure == m and flag.service_user == episode.service_user and flag.is_open


def test_activity_minutes_total_is_moderate_equivalent(clinician, episode):
    days, minutes = services.activity_record(
        episode=episode,
        taken_on=TODAY,
        days=3,
        moderate_minutes=60,
        vigorous_minutes=45,
        by=clinician,
    )
    assert days.kind == "activity_days" and days.total == 3 and days.item_1 == 3
    assert minutes.kind == "activity_minutes" and minutes.total == 150


def test_activity_minutes_out_of_range_saves_nothing(clinician, episode):
    with pytest.raises(OutcomeError, match="from 0 to 10,080") as error:
        services.activity_record(
            episode=episode,
            taken_on=TODAY,
            days=3,
            moderate_minutes=20000,
            vigorous_minutes=0,
            by=clinician,
        )
    assert error.value.field == "moderate_minutes"
    assert not Measure.objects.exists()  # the days row rolled back with it


def _attend(episode, clinician, *days, kind="treatment"):
    for day in days:
        services.appointment_record(
            episode=episode,
            on=date(2026, 1, day),
            kind=kind,
            attendance="attended",
            by=clinician,
        )


def test_outcome_columns_recompute_through_the_episode(clinician, episode):
    record(episode, "phq9", phq9_items(18), clinician, on=date(2026, 1, 6))
    record(episode, "gad7", gad7_items(14), clinician, on=date(2026, 1, 6))
    _attend(episode, clinician, 13, 20)
    services.appointment_record(
        episode=episode,
        on=date(2026, 1, 27),
        kind="treatment",
        attendance="did_not_attend",
        by=clinician,
    )
    _attend(episode, clinician, 6, kind="assessment")  # not a treatment appointment
    record(episode, "phq9", phq9_items(6), clinician, on=date(2026, 2, 10))
    record(episode, "gad7", gad7_items(5), clinician, on=date(2026, 2, 10))
    episode.refresh_from_db()
    assert (episode.first_phq9, episode.last_phq9, episode.first_gad7, episode.last_gad7) == (
        18,
        6,
        14,
        5,
    )
    assert episode.treatment_sessions == 2
    assert episode.phq9_change == -12 and episode.gad7_change == -9
    assert episode.caseness_at_start is True
    assert episode.recovered is None  # not ended yet
    services.episode_end(
        episode=episode, ended_on=date(2026, 2, 20), ending_reason="46", by=clinician
    )
    episode.refresh_from_db()
    assert episode.finished_treatment is True
    assert episode.recovered is True and episode.reliably_recovered is True
    assert episode.reliably_improved is True and episode.reliably_deteriorated is False
    assert episode.no_reliable_change is False


def test_one_administration_only_is_not_computable(clinician, episode):
    record(episode, "phq9", phq9_items(18), clinician, on=date(2026, 1, 6))
    record(episode, "gad7", gad7_items(14), clinician, on=date(2026, 1, 6))
    _attend(episode, clinician, 13, 20)
    services.episode_end(
        episode=episode, ended_on=date(2026, 2, 1), ending_reason="46", by=clinician
    )
    episode.refresh_from_db()
    assert episode.first_phq9 == 18 and episode.last_phq9 is None
    assert episode.finished_treatment is True
    assert episode.recovered is None and episode.reliably_improved is None


def test_ending_before_the_last_appointment_is_refused(clinician, episode):
    _attend(episode, clinician, 20)
    with pytest.raises(OutcomeError, match="on or after the last appointment, 20 January 2026"):
        services.episode_end(
            episode=episode, ended_on=date(2026, 1, 19), ending_reason="46", by=clinician
        )
    episode.refresh_from_db()
    assert episode.ended_on is None


def test_ending_in_the_future_is_refused(clinician, episode):
    with pytest.raises(OutcomeError, match="today or in the past"):
        services.episode_end(
            episode=episode,
            ended_on=TODAY + timedelta(days=1),
            ending_reason="46",
            by=clinician,
        )


def test_an_episode_ends_once(clinician, episode):
    services.episode_end(episode=episode, ended_on=TODAY, ending_reason="46", by=clinician)
    with pytest.raises(OutcomeError, match="already ended"):
        services.episode_end(episode=episode, ended_on=TODAY, ending_reason="47", by=clinician)


def test_appointment_before_the_referral_is_refused(clinician, episode):
    with pytest.raises(OutcomeError, match="on or after the referral date") as error:
        services.appointment_record(
            episode=episode,
            on=date(2026, 1, 1),
            kind="treatment",
            attendance="attended",
            by=clinician,
        )
    assert error.value.field == "on"
    assert not Appointment.objects.exists()


def test_risk_flag_review_needs_a_note_and_happens_once(clinician, episode):
    record(episode, "phq9", phq9_items(12, item_9=2), clinician)
    flag = RiskFlag.objects.get()
    with pytest.raises(OutcomeError, match="Enter a note"):
        services.risk_flag_review(flag=flag, note="  ", by=clinician)
    flag.refresh_from_db()
    assert flag.is_open
    services.risk_flag_review(flag=flag, note="Safety plan agreed", by=clinician)
    flag.refresh_from_db()
    assert not flag.is_open and flag.reviewed_by == clinician
    with pytest.raises(OutcomeError, match="already been reviewed"):
        services.risk_flag_review(flag=flag, note="Again", by=clinician)


def test_database_constraints_refuse_bad_rows_written_directly(episode):
    bad = [
        {"kind": "phq9", "items": [4, 0, 0, 0, 0, 0, 0, 0, 0], "total": 4},
        {"kind": "phq9", "items": [1] * 9, "total": 10},  # total not the sum
        {"kind": "phq9", "items": [1] * 8, "total": 8},  # missing item 9
        {"kind": "gad7", "items": [1] * 8, "total": 8},  # an 8th item
        {"kind": "activity_days", "items": [8], "total": 8},
        {"kind": "wsas", "items": [9, 0, 0, 0, 0], "total": 9},
    ]
    for case in bad:
        with pytest.raises(IntegrityError), transaction.atomic():
            measure_row = Measure(
                episode=episode,
                kind=case["kind"],
                taken_on=TODAY,
                total=case["total"],
                source="self_completed",
            )
            for n, v in enumerate(case["items"], start=1):
                setattr(measure_row, f"item_{n}", v)
            measure_row.save()
    assert not Measure.objects.exists()


def test_recompute_many_matches_recompute_one(clinician, episode):
    measure(episode, "phq9", phq9_items(15), on=date(2026, 1, 6))
    measure(episode, "gad7", gad7_items(10), on=date(2026, 1, 6))
    measure(episode, "phq9", phq9_items(3), on=date(2026, 2, 6))
    measure(episode, "gad7", gad7_items(2), on=date(2026, 2, 6))
    AppointmentFactory(episode=episode, on=date(2026, 1, 13))
    AppointmentFactory(episode=episode, on=date(2026, 1, 20))
    Episode.objects.filter(pk=episode.pk).update(ended_on=date(2026, 2, 7), ending_reason="46")
    assert services.episodes_recompute([episode]) == 1
    many = Episode.objects.get(pk=episode.pk)
    one = services.episode_recompute(episode=Episode.objects.get(pk=episode.pk))
    for name in services.OUTCOME_FIELDS:
        assert getattr(many, name) == getattr(one, name), name
    assert many.reliably_recovered is True


def test_a_double_submitted_appointment_is_refused_not_counted_twice(clinician, episode):
    record = dict(episode=episode, on=TODAY, kind="treatment", attendance="attended", by=clinician)
    services.appointment_record(**record)
    with pytest.raises(OutcomeError, match="already recorded"):
        services.appointment_record(**record)
    episode.refresh_from_db()
    assert episode.treatment_sessions == 1


def test_a_second_phq9_on_the_same_day_is_refused(clinician, episode):
    record(episode, "phq9", phq9_items(12), clinician, on=TODAY)
    with pytest.raises(OutcomeError, match="PHQ-9 is already recorded") as refused:
        record(episode, "phq9", phq9_items(12), clinician, on=TODAY)
    assert refused.value.field == "taken_on"
    assert Measure.objects.filter(kind="phq9").count() == 1
