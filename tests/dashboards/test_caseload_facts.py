"""The caseload facts and ended episodes' facts (ADR 022): equity and recovery by demographic
group from them give exactly the raw figures (and so the same suppressed tables) for every
kind of period; the database's triggers keep them equal to a recompute after every kind of
change, whoever makes it (services, admin-style saves, SQL); the nightly reconcile puts
drift right."""

import logging
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from outcomes.dashboards import tasks
from outcomes.dashboards.lead import equity as eq
from outcomes.dashboards.lead import group_tables, presenters
from outcomes.dashboards.lead.measures import breakdowns as bd
from outcomes.dashboards.periods import Period, default_period, financial_year, month, quarter
from outcomes.models import EndedEpisodeFact, Episode, PersonCaseloadFact
from outcomes.services import episode_end, episode_open, episode_reopen
from outcomes.services.caseload_facts import KINDS, drifted
from referrals.data_rights.services import service_user_erase
from referrals.models import Referral, ServiceUser
from referrals.records.services import service_user_update
from tests.dashboards.lead_cast import attended, episode_with, referral
from tests.dashboards.test_facts_equal_raw import PERIODS
from tests.dashboards.test_single_pass import EDGES, edges  # noqa: F401 (a fixture)
from tests.outcomes.factories import EpisodeFactory
from tests.providers.factories import ActivityFactory
from tests.referrals.factories import ServiceUserFactory

pytestmark = pytest.mark.usefixtures("frozen")
LONDON = ZoneInfo("Europe/London")
TWELVE_MONTHS = default_period(date(2026, 3, 2))  # the frozen clock's default period
ALL = [TWELVE_MONTHS, *PERIODS, *EDGES]
IDS = [p.name or f"{p.start}-{p.end}" for p in ALL]
# One of each kind, checked after every change: 12 months, a financial year, a quarter, a
# month, days of the lead's choosing, and one day.
KINDS_OF_PERIOD = [
    TWELVE_MONTHS,
    financial_year(2025),
    quarter(2025, 2),
    month(2025, 6),
    Period(date(2025, 6, 15), date(2025, 10, 30)),
    Period(date(2025, 6, 2), date(2025, 6, 2)),
]


def no_drift() -> bool:
    return all(drifted(kind) == [] for kind in KINDS)


def assert_raw_figures(service_id, periods=KINDS_OF_PERIOD) -> None:
    """Equity and recovery by group from the facts equal the raw queries, and so do the
    published tables (counts rounded, small ones and their neighbours hidden)."""
    for period in periods:
        facts, raw = eq.equity(service_id, period), eq.equity_raw(service_id, period)
        assert facts == raw, period
        for dimension in eq.DIMENSIONS:
            assert (
                presenters.equity_table(facts, dimension).csv_bytes()
                == presenters.equity_table(raw, dimension).csv_bytes()
            )
        groups = bd.recovery_by_group(service_id, period)
        groups_raw = bd.recovery_by_group_raw(service_id, period)
        assert groups == groups_raw, period
        assert (
            group_tables.groups_table(groups).csv_bytes()
            == group_tables.groups_table(groups_raw).csv_bytes()
        )


@pytest.mark.django_db
@pytest.mark.parametrize("period", ALL, ids=IDS)
def test_facts_give_the_raw_figures(edges, period):  # noqa: F811
    assert PersonCaseloadFact.objects.exists() and EndedEpisodeFact.objects.exists()
    assert eq.equity(edges.pk, period).caseload or period in EDGES[:1]
    assert_raw_figures(edges.pk, [period])


@pytest.mark.django_db
def test_the_cast_is_kept_as_it_is(edges):  # noqa: F811
    assert no_drift()
    # Everyone with a referral or an episode in the service has a row; no one else does.
    people = set(
        ServiceUser.objects.filter(service=edges)
        .filter(pk__in=Referral.objects.exclude(status="draft").values("service_user_id"))
        .values_list("pk", flat=True)
    ) | set(Episode.objects.filter(service=edges).values_list("service_user_id", flat=True))
    assert (
        set(
            PersonCaseloadFact.objects.filter(service=edges).values_list(
                "service_user_id", flat=True
            )
        )
        == people
    )
    ended = Episode.objects.filter(ended_on__isnull=False)
    assert EndedEpisodeFact.objects.count() == ended.count()


@pytest.fixture
def person(clinician):
    return ServiceUserFactory(
        service=clinician.organisation,
        assigned_clinician=clinician,
        gender="2",
        ethnic_category="A",
        date_of_birth=date(1990, 6, 1),
        step=2,
    )


@pytest.fixture
def walk():
    return ActivityFactory(takes_referrals=True, referral_email="walk@example.org.uk")


@pytest.mark.django_db
def test_referrals_keep_the_caseload(edges, person, walk):  # noqa: F811
    """A new referral, its answer and a session, one moved to another day, signposting, a
    draft, and deletes: each keeps the person's row equal to a recompute."""
    sent = referral(person, walk, status="sent", sent=date(2025, 6, 2))
    assert no_drift()
    assert_raw_figures(edges.pk)
    row = PersonCaseloadFact.objects.get(service_user=person)
    assert (row.service_id, row.gender, row.ethnic_category) == (edges.pk, "2", "A")

    Referral.objects.filter(pk=sent.pk).update(status="attending")
    attended(sent, date(2025, 6, 9))
    assert no_drift()
    june = month(2025, 6)
    assert eq.equity(edges.pk, june).took_up == eq.equity_raw(edges.pk, june).took_up

    # Sent at 00:30 on 1 July in London (23:30 UTC on 30 June): a July referral.
    Referral.objects.filter(pk=sent.pk).update(
        sent_at=datetime(2025, 6, 30, 23, 30, tzinfo=ZoneInfo("UTC"))
    )
    assert no_drift()
    assert_raw_figures(edges.pk, [june, month(2025, 7), *KINDS_OF_PERIOD])

    said = referral(person, ActivityFactory(), kind="signpost", status="signposted", sent=june.end)
    Referral.objects.filter(pk=said.pk).update(status="taken_up")
    referral(person, ActivityFactory(), status="draft", sent=date(2025, 6, 4))
    assert no_drift()
    assert_raw_figures(edges.pk)

    Referral.objects.filter(service_user=person).delete()
    assert no_drift()
    assert not PersonCaseloadFact.objects.filter(service_user=person).exists()
    assert_raw_figures(edges.pk)


@pytest.mark.django_db
def test_episodes_keep_both(edges, person, clinician):  # noqa: F811
    """Opened, ended, reopened and ended again through the services, and an outcome that
    changes with a late measure: the caseload row and the ended episode's row follow."""
    episode = episode_open(
        service_user=person,
        referral_received_on=date(2025, 5, 1),
        referral_source="A1",
        step=3,
        by=clinician,
    )
    assert no_drift()
    assert not EndedEpisodeFact.objects.filter(episode=episode).exists()
    assert_raw_figures(edges.pk)

    episode_end(episode=episode, ended_on=date(2025, 8, 1), ending_reason="46", by=clinician)
    assert no_drift()
    fact = EndedEpisodeFact.objects.get(episode=episode)
    assert (fact.ended_on, fact.step, fact.date_of_birth) == (
        date(2025, 8, 1),
        3,
        person.date_of_birth,
    )
    assert_raw_figures(edges.pk)

    episode_reopen(episode=episode, by=clinician)
    assert no_drift()
    assert not EndedEpisodeFact.objects.filter(episode=episode).exists()
    assert_raw_figures(edges.pk)

    episode_end(episode=episode, ended_on=date(2025, 10, 1), ending_reason="46", by=clinician)
    # Recovered only once the scores are in (rules.assess through the recompute).
    recovered = episode_with(
        ServiceUserFactory(service=edges, ethnic_category="M"),
        first=(16, 12),
        last=(4, 3),
        sessions=3,
        ended_on=date(2025, 9, 30),
    )
    assert EndedEpisodeFact.objects.get(episode=recovered).recovered is True
    Episode.objects.filter(pk=episode.pk).delete()
    assert no_drift()
    assert_raw_figures(edges.pk)


@pytest.mark.django_db
def test_a_persons_edits_move_their_rows(edges, person, walk, clinician):  # noqa: F811
    """Ethnicity, date of birth (across an age band), gender, disability and step, by the
    records service and by a queryset update, then erasure (the year of birth only)."""
    referral(person, walk, status="sent", sent=date(2025, 6, 2))
    EpisodeFactory(service_user=person, referral_received_on=date(2025, 1, 10), recovered=True)
    assert no_drift()

    service_user_update(
        service_user=person,
        by=clinician,
        data={"ethnic_category": "H", "date_of_birth": date(2008, 3, 3), "gender": "1"},
    )
    assert no_drift()
    assert EndedEpisodeFact.objects.get(episode__service_user=person).ethnic_category == "H"
    assert_raw_figures(edges.pk)
    ages = {
        row.label: row.caseload for row in eq.equity(edges.pk, TWELVE_MONTHS).dimensions["age_band"]
    }
    assert ages["Under 18"] >= 1  # 18 the day after the period ends

    ServiceUser.objects.filter(pk=person.pk).update(has_disability_or_ltc=True, step=3)
    assert no_drift()
    assert_raw_figures(edges.pk)

    # Nothing counted changed: the rows are left alone (and still equal).
    ServiceUser.objects.filter(pk=person.pk).update(postcode="LS2 7EW")
    assert no_drift()

    person.refresh_from_db()
    service_user_erase(service_user=person, by=clinician)
    assert no_drift()
    assert PersonCaseloadFact.objects.get(service_user=person).date_of_birth == date(2008, 1, 1)
    assert_raw_figures(edges.pk)
    ages = {
        row.label: row.caseload for row in eq.equity(edges.pk, TWELVE_MONTHS).dimensions["age_band"]
    }
    assert "Under 18" not in ages  # 18 on 1 January


@pytest.mark.django_db
def test_a_person_deleted_leaves_nothing(edges, person, walk):  # noqa: F811
    referral(person, walk, status="sent", sent=date(2025, 6, 2))
    EpisodeFactory(service_user=person, referral_received_on=date(2025, 1, 10), recovered=True)
    assert PersonCaseloadFact.objects.filter(service_user=person).exists()
    before = eq.equity(edges.pk, TWELVE_MONTHS).caseload

    # Referrals protect their person: they go first, then the person (and the episode).
    Referral.objects.filter(service_user=person).delete()
    person.delete()
    assert not PersonCaseloadFact.objects.filter(service_user_id=person.pk).exists()
    assert not EndedEpisodeFact.objects.filter(episode__service_user_id=person.pk).exists()
    assert no_drift()
    assert eq.equity(edges.pk, TWELVE_MONTHS).caseload == before - 1
    assert_raw_figures(edges.pk)


@pytest.mark.django_db
def test_a_bulk_statement_rebuilds_each_person_once(edges):  # noqa: F811
    Referral.objects.filter(service=edges, kind="refer").update(status="completed")
    Episode.objects.filter(service=edges, ended_on__isnull=False).update(step=3)
    ServiceUser.objects.filter(service=edges).update(ethnic_category="Z")
    assert no_drift()
    assert_raw_figures(edges.pk)


@pytest.mark.django_db
def test_another_services_people_are_not_counted(edges, other_clinician, walk):  # noqa: F811
    outsider = ServiceUserFactory(service=other_clinician.organisation)
    before = eq.equity(edges.pk, TWELVE_MONTHS)
    referral(outsider, walk, status="sent", sent=date(2025, 6, 2))
    EpisodeFactory(service_user=outsider, referral_received_on=date(2025, 1, 10), recovered=True)
    assert eq.equity(edges.pk, TWELVE_MONTHS) == before
    assert_raw_figures(edges.pk)
    assert_raw_figures(other_clinician.organisation_id)


@pytest.mark.django_db
def test_the_nightly_reconcile_puts_drift_right(edges, caplog):  # noqa: F811
    """Rows changed with the triggers off, and facts edited or deleted by hand: put right,
    and logged as counts."""
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        try:
            cursor.execute("UPDATE referrals_serviceuser SET gender = '9'")
            cursor.execute(
                "UPDATE referrals_referral SET provider_attended_on = NULL WHERE kind = 'refer'"
            )
        finally:
            cursor.execute("SET session_replication_role = DEFAULT")
    EndedEpisodeFact.objects.filter(pk=EndedEpisodeFact.objects.first().pk).delete()
    PersonCaseloadFact.objects.filter(pk=PersonCaseloadFact.objects.first().pk).update(step=None)
    assert not no_drift()
    assert eq.equity(edges.pk, TWELVE_MONTHS) != eq.equity_raw(edges.pk, TWELVE_MONTHS)

    with caplog.at_level(logging.WARNING):
        found = tasks.reconcile_day_facts()
    assert found["caseload"][edges.pk] >= 2 and found["ended_episode"][edges.pk] >= 1
    assert "caseload facts drifted: service" in caplog.text
    assert no_drift()
    assert_raw_figures(edges.pk)
    again = tasks.reconcile_day_facts()
    assert again["caseload"] == {} and again["ended_episode"] == {}


@pytest.mark.django_db
def test_a_period_inside_a_gap_is_decided_by_the_days_themselves(person, walk):
    """Referrals in March and September, episodes January and from August on: a period
    between them is tested against the sets of days (not their first and last day); one
    that holds a first or last day is decided by it."""
    for day, activity in ((date(2025, 3, 1), walk), (date(2025, 9, 1), ActivityFactory())):
        row = referral(person, activity, status="attending", sent=day)
        attended(row, day)
    EpisodeFactory(
        service_user=person,
        referral_received_on=date(2025, 1, 2),
        ended_on=date(2025, 2, 1),
        ending_reason="46",
    )
    EpisodeFactory(service_user=person, referral_received_on=date(2025, 8, 1))
    assert no_drift()
    service = person.service_id
    gap = month(2025, 6)
    assert eq.equity(service, gap).caseload == 0
    for period in (
        gap,
        Period(date(2025, 2, 1), date(2025, 2, 1)),  # the first episode's last day
        Period(date(2025, 2, 2), date(2025, 7, 31)),  # between the episodes, a referral in it
        Period(date(2025, 3, 2), date(2025, 7, 31)),  # nothing at all
        Period(date(2025, 8, 1), date(2025, 8, 1)),  # the open episode's first day
        month(2026, 1),  # inside the open episode, after every referral
        Period(date(2024, 1, 1), date(2026, 12, 31)),
    ):
        figures = eq.equity(service, period)
        assert figures == eq.equity_raw(service, period), period
    assert eq.equity(service, Period(date(2025, 3, 2), date(2025, 7, 31))).caseload == 0
    assert eq.equity(service, month(2026, 1)).caseload == 1
