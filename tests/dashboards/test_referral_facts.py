"""The referral copies and their counts by month (ADR 021): the triggers keep them equal to
the referrals after every kind of change, the figures read from them equal the reference
computed from the referrals for every kind of period (months from the counts, the days at
the edges from the copies), and the nightly reconcile puts drift right."""

import logging
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection

from outcomes.dashboards import tasks
from outcomes.dashboards.lead import referral_counts, referral_facts
from outcomes.dashboards.lead import selectors as sel
from outcomes.dashboards.lead.measures import waits
from outcomes.dashboards.periods import Period, default_period
from outcomes.models import ReferralFact, ReferralMonthFact
from outcomes.services.referral_facts import drifted_copies, drifted_months
from outcomes.services.wait_facts import wait_facts_drift
from referrals.data_rights.services import service_user_erase
from referrals.models import Referral
from referrals.pathway import services
from tests.dashboards.lead_cast import attended, referral
from tests.dashboards.test_facts_equal_raw import PERIODS
from tests.dashboards.test_single_pass import EDGES, edges  # noqa: F401 (a fixture)
from tests.factories import ProviderStaffFactory
from tests.providers.factories import ActivityFactory
from tests.referrals.factories import ReferralFactory, ServiceUserFactory

pytestmark = pytest.mark.usefixtures("frozen")
LONDON = ZoneInfo("Europe/London")
TWELVE_MONTHS = default_period(date(2026, 3, 2))  # the default period on the frozen day
ALL = [TWELVE_MONTHS, *PERIODS, *EDGES]
IDS = ["12 months", *(p.name or f"{p.start}-{p.end}" for p in [*PERIODS, *EDGES])]
BY = (sel.BY_PROVIDER, sel.BY_ACTIVITY_TYPE)


def drift() -> list:
    """What differs from the referrals: copies, months, and the waits counted from the
    copies (ADR 023)."""
    services_ = set(Referral.objects.values_list("service_id", flat=True)) | set(
        ReferralFact.objects.values_list("service_id", flat=True)
    )
    return [
        (service_id, found)
        for service_id in sorted(services_)
        for found in (
            *drifted_copies(service_id),
            *drifted_months(service_id),
            *(["waits"] if wait_facts_drift(service_id) else []),
        )
    ]


def same_figures(service_id, period: Period) -> None:
    """Every figure read from the copies equals the reference from the referrals."""
    counts = referral_counts.referral_counts(service_id, period)
    assert counts.from_facts
    raw = referral_counts.referral_counts_raw(service_id, period)
    assert counts.funnel() == raw.funnel() == sel.referral_funnel_raw(service_id, period)
    for by in BY:
        reference = sel.referral_performance(service_id, period, by=by)
        assert counts.performance(by=by) == reference
        assert referral_counts.referral_performance(service_id, period, by=by) == reference
        for limit in (1, 2, 21):
            assert counts.performance(by=by, limit=limit) == reference[:limit]
        assert sel.reply_medians(service_id, period, by=by) == sel.reply_medians_raw(
            service_id, period, by=by
        )
    assert waits.activity_wait(service_id, period) == waits.activity_wait_raw(service_id, period)
    assert waits.activity_wait(service_id, period) == waits.activity_wait_from_copies(
        service_id, period
    )
    assert referral_facts.median_days_to_first_session(
        service_id, period
    ) == referral_facts.median_days_to_first_session_from_copies(service_id, period)
    assert waits.activity_wait(service_id, period) == waits.activity_wait_from_referrals(
        service_id, period
    )


@pytest.mark.django_db
@pytest.mark.parametrize("period", ALL, ids=IDS)
def test_figures_from_the_copies_equal_the_referrals(edges, period):  # noqa: F811
    assert ReferralFact.objects.exists() and ReferralMonthFact.objects.exists()
    assert drift() == []
    same_figures(edges.pk, period)


def test_whole_months_inside_a_period():
    whole = referral_facts.whole_months
    assert whole(Period(date(2025, 4, 1), date(2026, 3, 31))) == (
        date(2025, 4, 1),
        date(2026, 4, 1),
    )
    assert whole(Period(date(2025, 3, 3), date(2026, 3, 2))) == (
        date(2025, 4, 1),
        date(2026, 3, 1),
    )
    assert whole(Period(date(2025, 6, 15), date(2025, 7, 14))) is None
    assert whole(Period(date(2025, 7, 31), date(2025, 7, 31))) is None
    assert whole(Period(date(2025, 12, 1), date(2025, 12, 31))) == (
        date(2025, 12, 1),
        date(2026, 1, 1),
    )


@pytest.fixture
def walk():
    return ActivityFactory(for_referrals=True)


def test_every_kind_of_change_keeps_the_copies(clinician, walk):
    """Sent, accepted, declined, attended, withdrawn, erased and deleted through the services
    (and a bulk update): the copies and months equal the referrals after each, and so do
    the figures of the month, the quarter and the 12 months around them."""
    service = clinician.organisation
    periods = [
        Period(date(2026, 3, 1), date(2026, 3, 31)),
        Period(date(2026, 1, 1), date(2026, 3, 31)),
        TWELVE_MONTHS,
        Period(date(2026, 2, 14), date(2026, 3, 2)),
    ]
    provider = ProviderStaffFactory(organisation=walk.provider.organisation)

    def person():
        return ServiceUserFactory(
            service=service, assigned_clinician=clinician, ready_to_refer=True
        )

    def check():
        assert drift() == []
        for period in periods:
            same_figures(service.pk, period)

    draft = ReferralFactory(service_user=person(), activity=walk, draft=True)
    check()
    assert not ReferralFact.objects.exists()  # a draft is not a referral

    sent = services.referral_send(referral=draft, by=clinician)
    check()
    assert ReferralFact.objects.get().sent_on == date(2026, 3, 2)

    with time_machine.travel(datetime(2026, 3, 2, 15, tzinfo=LONDON), tick=False):
        services.referral_accept(referral=sent, by=provider, first_session_at=None)
    check()
    copy = ReferralFact.objects.get(referral=sent)
    assert copy.accepted and copy.reply_days == pytest.approx(5 / 24)

    services.attendance_record(
        referral=sent, session_date=date(2026, 3, 2), status="attended", by=provider
    )
    check()
    assert ReferralFact.objects.get(referral=sent).waited_days == 0

    declined = ReferralFactory(
        service_user=person(), activity=walk, declined=True, answered_by=provider
    )
    check()
    assert ReferralFact.objects.get(referral=declined).reply_days == 0
    services.referral_decline(
        referral=ReferralFactory(service_user=person(), activity=walk, sent=True),
        reason=Referral.DeclineReason.NO_RESPONSE,
        system_actor="auto-decline",
    )
    check()
    assert ReferralFact.objects.filter(reply_days__isnull=True, answered=True).count() == 1

    withdrawn = ReferralFactory(service_user=person(), activity=walk, sent=True)
    services.referral_move(referral=withdrawn, to="withdrawn", by=clinician, expected_from="sent")
    check()

    # A bulk update across months and activities (an SQL repair, say), and a move of month.
    Referral.objects.filter(pk=withdrawn.pk).update(
        sent_at=datetime(2025, 8, 31, 23, 30, tzinfo=ZoneInfo("UTC")), activity=ActivityFactory()
    )
    Referral.objects.filter(service_id=service.pk).update(status="completed")
    check()
    assert ReferralMonthFact.objects.filter(month=date(2025, 9, 1)).exists()  # 00:30 BST

    erased = sent.service_user
    service_user_erase(service_user=erased, by=clinician)
    check()

    # A person deleted with their referrals (rows without history: the events refuse it).
    gone = person()
    kept = referral(gone, walk, status="attending", sent=date(2026, 2, 20), answered_days=1)
    attended(kept, date(2026, 2, 27))
    referral(gone, ActivityFactory(), status="declined", sent=date(2025, 11, 3), answered_days=2)
    check()
    assert ReferralMonthFact.objects.filter(month=date(2025, 11, 1)).exists()
    Referral.objects.filter(service_user=gone).delete()
    gone.delete()
    check()
    assert not ReferralFact.objects.filter(referral=kept).exists()
    assert not ReferralMonthFact.objects.filter(month=date(2025, 11, 1)).exists()


def test_another_service_is_counted_apart(clinician, other_clinician, walk):
    mine = referral(
        ServiceUserFactory(service=clinician.organisation, assigned_clinician=clinician),
        walk,
        status="completed",
        sent=date(2025, 6, 2),
        answered_days=2,
    )
    attended(mine, date(2025, 6, 9))
    referral(
        ServiceUserFactory(
            service=other_clinician.organisation, assigned_clinician=other_clinician
        ),
        walk,
        status="sent",
        sent=date(2025, 6, 2),
    )
    june = Period(date(2025, 6, 1), date(2025, 6, 30))
    counts = referral_counts.referral_counts(clinician.organisation_id, june)
    assert counts.by_activity == {
        walk.pk: {
            "referred": 1,
            "answered": 1,
            "accepted": 1,
            "started": 1,
            "self_reported": 0,
            "completed": 1,
        }
    }
    assert sel.median_days_to_first_session(clinician.organisation_id, june) == (7.0, 1)
    assert drift() == []


def test_the_nightly_reconcile_puts_drift_right(edges, caplog):  # noqa: F811
    """Referrals changed with the triggers off, and copies and months edited by hand."""
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        try:
            cursor.execute(
                "UPDATE referrals_referral SET status = 'completed', sent_at = sent_at"
                " - interval '40 days' WHERE kind = 'refer' AND sent_at IS NOT NULL"
            )
        finally:
            cursor.execute("SET session_replication_role = DEFAULT")
    ReferralMonthFact.objects.filter(service_id=edges.pk).update(referred=99)
    ReferralMonthFact.objects.create(
        service_id=edges.pk, month=date(2020, 1, 1), activity_id=1, referred=3
    )
    assert drift() != []
    year = PERIODS[1]
    assert referral_counts.referral_counts(edges.pk, year).performance(
        by=sel.BY_PROVIDER
    ) != sel.referral_performance(edges.pk, year, by=sel.BY_PROVIDER)

    with caplog.at_level(logging.WARNING):
        found = tasks.reconcile_day_facts()
    assert found["referral copies"][edges.pk] >= 3
    assert "referral copies facts drifted: service" in caplog.text
    assert drift() == []
    for period in (year, TWELVE_MONTHS, Period(date(2025, 4, 20), date(2025, 6, 5))):
        same_figures(edges.pk, period)
    assert tasks.reconcile_day_facts()["referral copies"][edges.pk] == 0


def test_the_reconcile_puts_right_a_batch_at_a_time(edges, monkeypatch):  # noqa: F811
    """A large drift (a restore: every copy missing) is put right in batches, each its own
    transaction, so a rebuild never holds a lock per month and activity of the whole
    history at once; batches of one give the same facts as the triggers."""
    from outcomes.services import day_facts, referral_facts

    monkeypatch.setattr(referral_facts, "BATCH", 1)
    monkeypatch.setattr(day_facts, "BATCH", 1)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM outcomes_referralfact")
        cursor.execute("DELETE FROM outcomes_referralmonthfact")
        cursor.execute("DELETE FROM outcomes_referraldayfact")
    assert len(drift()) >= 3

    found = tasks.reconcile_day_facts()

    assert found["referral copies"][edges.pk] >= 3
    assert drift() == []
    for period in (PERIODS[1], TWELVE_MONTHS):
        same_figures(edges.pk, period)


def test_a_month_starts_on_the_local_day(clinician, walk):
    """Sent at 00:30 on 1 July in London (23:30 UTC on 30 June) counts in July."""
    row = referral(
        ServiceUserFactory(service=clinician.organisation, assigned_clinician=clinician),
        walk,
        status="sent",
        sent=date(2025, 6, 2),
    )
    Referral.objects.filter(pk=row.pk).update(
        sent_at=datetime(2025, 6, 30, 23, 30, tzinfo=ZoneInfo("UTC"))
    )
    assert list(ReferralMonthFact.objects.values_list("month", "referred")) == [
        (date(2025, 7, 1), 1)
    ]
    for period in (
        Period(date(2025, 7, 1), date(2025, 7, 31)),
        Period(date(2025, 6, 1), date(2025, 6, 30)),
        Period(date(2025, 6, 30), date(2025, 7, 1) + timedelta(days=0)),
    ):
        same_figures(clinician.organisation_id, period)


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 2, 3, 4, 7, 10, 101])
def test_a_median_of_counts_is_postgresqls_median(size):
    """To the bit, with repeated values, odd and even counts, fractional and whole days."""
    import random

    rng = random.Random(size)
    values = [rng.choice([rng.random() * 14, float(rng.randint(0, 10))]) for _ in range(size)]
    values += values[: size // 3]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY v) FROM unnest(%s::float8[]) v",
            [values],
        )
        expected = cursor.fetchone()[0]
    counts: dict[float, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    assert referral_facts.median_of_counts(list(counts.items())) == expected
    assert referral_facts.median_of_counts([]) is None


@pytest.mark.django_db
def test_the_bench_fills_empty_copies_at_once(edges):  # noqa: F811
    """The bench seeds with the triggers off and then copies every referral in one
    statement (bench/__main__.py): the result is what the triggers would have kept."""
    from bench.__main__ import _fill_referral_facts

    kept = sorted(ReferralFact.objects.values_list("referral_id", "reply_days", "sent_on"))
    months = ReferralMonthFact.objects.count()
    assert kept and months
    ReferralFact.objects.all().delete()
    ReferralMonthFact.objects.filter(pk__in=ReferralMonthFact.objects.values("pk")[:1]).delete()
    assert drift() != []
    _fill_referral_facts()
    assert drift() == []
    assert sorted(ReferralFact.objects.values_list("referral_id", "reply_days", "sent_on")) == kept
    assert ReferralMonthFact.objects.count() == months
    _fill_referral_facts()  # copies there: left alone
    assert ReferralMonthFact.objects.count() == months
