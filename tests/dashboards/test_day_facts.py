"""The referral and message facts by day (ADR 018): the database's triggers keep them equal
to a count from the rows after every kind of change, whatever makes it (services, admin, SQL
repairs), the dashboards' figures from them equal the reference queries for every kind of
period, and the nightly reconcile puts drift right."""

import logging
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from outcomes.dashboards import tasks
from outcomes.dashboards.lead import selectors as sel
from outcomes.dashboards.periods import Period
from outcomes.models import NudgeDayFact, ReferralDayFact
from outcomes.models.day_facts import NUDGE_COUNTS
from outcomes.services.day_facts import KINDS, _drifted_days
from referrals.models import Referral
from referrals.nudges.models import Nudge, NudgeResponse
from tests.dashboards.lead_cast import attended, referral
from tests.dashboards.test_facts_equal_raw import PERIODS
from tests.dashboards.test_single_pass import EDGES, edges  # noqa: F401 (a fixture)
from tests.providers.factories import ActivityFactory
from tests.referrals.factories import ServiceUserFactory

pytestmark = pytest.mark.usefixtures("frozen")
LONDON = ZoneInfo("Europe/London")
ALL = [*PERIODS, *EDGES]
IDS = [p.name or f"{p.start}-{p.end}" for p in ALL]


def drift() -> dict[str, list]:
    """{kind: [(service id, day)]} where the facts differ from a count of the rows."""
    found: dict[str, list] = {}
    for kind in KINDS:
        services = {row.service_id for row in Referral.objects.only("service_id")} | {
            row.service_id for row in Nudge.objects.only("service_id")
        }
        found[kind] = [(s, day) for s in sorted(services) for day in _drifted_days(kind, s)]
    return found


def no_drift() -> bool:
    return drift() == {kind: [] for kind in KINDS}


@pytest.mark.django_db
@pytest.mark.parametrize("period", ALL, ids=IDS)
def test_figures_from_facts_equal_the_rows(edges, period):  # noqa: F811
    assert ReferralDayFact.objects.exists() and NudgeDayFact.objects.exists()
    assert sel.referral_funnel(edges.pk, period) == sel.referral_funnel_raw(edges.pk, period)
    assert sel.nudge_answer_rates(edges.pk, period) == sel.nudge_answer_rates_raw(edges.pk, period)


@pytest.fixture
def person(clinician):
    return ServiceUserFactory(service=clinician.organisation, assigned_clinician=clinician)


@pytest.fixture
def walk():
    return ActivityFactory(takes_referrals=True, referral_email="walk@example.org.uk")


@pytest.mark.django_db
def test_referral_changes_keep_the_facts(person, walk):
    june = Period(date(2025, 6, 1), date(2025, 6, 30))
    sent = referral(person, walk, status="sent", sent=date(2025, 6, 2))
    assert no_drift()
    assert sel.referral_funnel(person.service_id, june).referred == 1

    Referral.objects.filter(pk=sent.pk).update(
        status="accepted", accepted_at=datetime(2025, 6, 3, 9, tzinfo=LONDON)
    )
    attended(sent, date(2025, 6, 9))
    assert no_drift()
    assert sel.referral_funnel(person.service_id, june).started == 1

    # Moved to another day: both days are rebuilt.
    Referral.objects.filter(pk=sent.pk).update(sent_at=datetime(2025, 7, 1, 0, 30, tzinfo=LONDON))
    assert no_drift()
    assert sel.referral_funnel(person.service_id, june).referred == 0

    signposted = referral(
        person, ActivityFactory(), kind="signpost", status="signposted", sent=date(2025, 6, 30)
    )
    Referral.objects.filter(pk=signposted.pk).update(status="taken_up")
    draft = referral(person, ActivityFactory(), status="draft", sent=date(2025, 6, 4))
    assert no_drift()
    figures = sel.referral_funnel(person.service_id, june)
    assert (figures.signposted, figures.taken_up, figures.referred) == (1, 1, 0)

    Referral.objects.filter(pk__in=[draft.pk, signposted.pk]).delete()
    assert no_drift()
    assert not ReferralDayFact.objects.filter(day=date(2025, 6, 30)).exists()


@pytest.mark.django_db
def test_a_day_is_the_local_day(person, walk):
    """Sent at 00:30 on 1 July in London (23:30 UTC on 30 June) counts on 1 July."""
    row = referral(person, walk, status="sent", sent=date(2025, 6, 2))
    Referral.objects.filter(pk=row.pk).update(
        sent_at=datetime(2025, 6, 30, 23, 30, tzinfo=ZoneInfo("UTC"))
    )
    assert list(ReferralDayFact.objects.values_list("day", "referred")) == [(date(2025, 7, 1), 1)]
    july = Period(date(2025, 7, 1), date(2025, 7, 31))
    assert sel.referral_funnel(person.service_id, july) == sel.referral_funnel_raw(
        person.service_id, july
    )


def day_count_plan(table: str, count: str, service_id: int) -> str:
    """EXPLAIN ANALYZE of a day's count (2 June 2025) once VACUUM has marked the table's
    pages all-visible, as autovacuum keeps most of a live table's."""
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {table}")
        cursor.execute("SET enable_seqscan = off")  # a few rows: the planner would read them all
        cursor.execute("SET enable_bitmapscan = off")
        try:
            cursor.execute(
                f"EXPLAIN (ANALYZE, COSTS OFF) SELECT * FROM {count}(%s, %s, %s)",
                [service_id, date(2025, 6, 2), date(2025, 6, 2)],
            )
            return "\n".join(row[0] for row in cursor.fetchall())
        finally:
            cursor.execute("RESET ALL")


@pytest.mark.django_db(transaction=True)
def test_a_days_count_reads_only_its_two_indexes(person):
    """Each change to a referral recounts its day for the whole service. If the count reads
    a column its partial indexes do not carry, it reads a heap page per referral of the day:
    7,230 uncached pages and 293 ms at the bench's scale 10 (stop 33)."""
    for day in (2, 2, 3):  # one open referral per activity and person
        referral(person, ActivityFactory(), status="sent", sent=date(2025, 6, day))
    referral(person, ActivityFactory(), kind="signpost", status="signposted", sent=date(2025, 6, 2))
    plan = day_count_plan("referrals_referral", "outcomes_referral_counts", person.service_id)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT day, referred, signposted FROM outcomes_referral_counts(%s, %s, %s)",
            [person.service_id, date(2025, 6, 1), date(2025, 6, 30)],
        )
        counts = cursor.fetchall()
    assert "Index Only Scan using referral_day_counts_referred" in plan
    assert "Index Only Scan using referral_day_counts_signposted" in plan
    assert plan.count("Heap Fetches: 0") == 2
    assert counts == [(date(2025, 6, 2), 2, 1), (date(2025, 6, 3), 1, 0)]


@pytest.mark.django_db
def test_message_changes_keep_the_facts(person):
    march = Period(date(2025, 3, 1), date(2025, 3, 31))
    sent_at = datetime(2025, 3, 2, 10, tzinfo=LONDON)
    nudge = Nudge.objects.create(
        service_id=person.service_id, audience="service_user", template="did_you_go",
        service_user=person, due_at=sent_at, status="sending",
    )  # fmt: skip
    assert no_drift()
    assert sel.nudge_answer_rates(person.service_id, march).sent == 0

    Nudge.objects.filter(pk=nudge.pk).update(status="sent", sent_at=sent_at)
    went = NudgeResponse.objects.create(nudge=nudge, answer="went")
    NudgeResponse.objects.create(nudge=nudge, answer="call_me")
    assert no_drift()
    rates = sel.nudge_answer_rates(person.service_id, march)
    assert (rates.sent, rates.answered) == (1, 1)
    assert rates == sel.nudge_answer_rates_raw(person.service_id, march)

    NudgeResponse.objects.filter(pk=went.pk).update(answer="not_yet")
    Nudge.objects.filter(pk=nudge.pk).update(status="delivered")
    assert no_drift()
    assert sel.nudge_answer_rates(person.service_id, march).by_answer["Not yet"] == 1

    NudgeResponse.objects.filter(nudge=nudge).delete()
    assert no_drift()
    assert sel.nudge_answer_rates(person.service_id, march).answered == 0
    nudge.delete()
    assert no_drift()
    assert sel.nudge_answer_rates(person.service_id, march).sent == 0


@pytest.mark.django_db(transaction=True)
def test_a_days_message_count_reads_no_message(person):
    """Each message sent or delivered recounts its day: the messages' index must carry
    what the count reads (at the bench's scale 10, 3,248 uncached pages and 416 ms a day
    without; stop 33)."""
    sent_at = datetime(2025, 6, 2, 10, tzinfo=LONDON)
    for template in ("did_you_go", "check_in"):
        nudge = Nudge.objects.create(
            service_id=person.service_id, audience="service_user", template=template,
            service_user=person, due_at=sent_at, status="sent", sent_at=sent_at,
        )  # fmt: skip
    NudgeResponse.objects.create(nudge=nudge, answer="went")
    plan = day_count_plan("nudges_nudge", "outcomes_nudge_counts", person.service_id)
    # (The answers are read by their own key, one message at a time, as before.)
    assert "Index Only Scan using nudge_fact_service_sent" in plan
    assert "Heap Fetches: 0" in plan
    assert NudgeDayFact.objects.values_list("day", "sent", "went").get() == (sent_at.date(), 2, 1)


def test_every_answer_is_counted():
    assert set(NudgeResponse.Answer.values) <= set(NUDGE_COUNTS)


@pytest.mark.django_db
def test_the_nightly_reconcile_puts_drift_right(edges, caplog):  # noqa: F811
    """Rows written with the triggers off, and facts edited by hand: both put right."""
    year = PERIODS[1]
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        try:
            cursor.execute(
                "UPDATE referrals_referral SET status = 'completed' WHERE kind = 'refer'"
            )
            cursor.execute("UPDATE outcomes_nudgedayfact SET sent = sent + 5")
        finally:
            cursor.execute("SET session_replication_role = DEFAULT")
    ReferralDayFact.objects.create(service_id=edges.pk, day=date(2020, 1, 1), referred=3)
    assert not no_drift()
    assert sel.referral_funnel(edges.pk, year) != sel.referral_funnel_raw(edges.pk, year)

    with caplog.at_level(logging.WARNING):
        found = tasks.reconcile_day_facts()
    assert found["referral"][edges.pk] >= 2 and found["nudge"][edges.pk] >= 1
    assert "referral facts drifted: service" in caplog.text
    assert no_drift()
    assert not ReferralDayFact.objects.filter(day=date(2020, 1, 1)).exists()
    assert sel.referral_funnel(edges.pk, year) == sel.referral_funnel_raw(edges.pk, year)
    assert tasks.reconcile_day_facts()["referral"][edges.pk] == 0
