"""The bench's own moving parts that can go wrong on a fresh seed: the person/activity pairs
it sends referrals for, the COPY that seeds it, the one-provider organisation it adds, and
the area whose figures the reports worker's line works out."""

import pytest

from bench import small_provider
from bench.copy_rows import copy_objects, copy_rows
from bench.pages import peopled_partnership
from bench.referral_pages import free_pairs
from providers.models import Provider
from referrals.models import ServiceUser
from talkingmoves.accounts.models import Role, User
from tests.factories import ActivePartnershipFactory, ProviderOrganisationFactory
from tests.providers.factories import ActivityFactory, VenueFactory
from tests.referrals.factories import ReferralFactory, ServiceUserFactory

pytestmark = pytest.mark.django_db


def test_free_pairs_leave_out_referred_and_blocked_people():
    organisation = ProviderOrganisationFactory()
    first, second = (
        ActivityFactory(for_referrals=True, venue__provider__organisation=organisation)
        for _ in range(2)
    )
    referred = ServiceUserFactory(ready_to_refer=True)
    clinician = referred.assigned_clinician
    other = ServiceUserFactory(
        ready_to_refer=True, assigned_clinician=clinician, service=referred.service
    )
    # No screening: sending would be refused, so never a pair.
    ServiceUserFactory(assigned_clinician=clinician, service=referred.service)
    # Declined is closed, but the bench still leaves that pair alone.
    ReferralFactory(service_user=referred, activity=first, declined=True)

    pairs = list(free_pairs(clinician.email, 10, organisation=organisation.name))

    assert pairs == [
        (other.public_id, first.public_id),
        (referred.public_id, second.public_id),
        (other.public_id, second.public_id),
    ]
    assert len(list(free_pairs(clinician.email, 2, organisation=organisation.name))) == 2


def test_copy_objects_and_copy_rows_write_what_the_orm_would():
    person = ServiceUserFactory.build(interests=["walking"], given_name="Ada")
    person.service.save()
    person.assigned_clinician.save()
    person.assigned_clinician_id = person.assigned_clinician.pk
    person.service_id = person.service.pk

    assert copy_objects(ServiceUser, [person]) == 1
    # Only the columns named; every other one that cannot be NULL from its default.
    assert (
        copy_rows(
            ServiceUser,
            ["service_id", "given_name", "family_name"],
            [[person.service_id, "Bo", "Smith"]],
        )
        == 1
    )

    ada, bo = ServiceUser.objects.order_by("pk")
    assert (ada.given_name, ada.interests, ada.public_id) == ("Ada", ["walking"], person.public_id)
    assert (bo.given_name, bo.interests, bo.barriers) == ("Bo", [], [])
    assert bo.public_id not in (None, ada.public_id)


def test_small_provider_takes_one_unowned_provider_once():
    owned = ActivityFactory(for_referrals=True)  # its provider has an organisation
    first, later = (
        ActivityFactory(takes_referrals=True, referral_email="r@example.org") for _ in range(2)
    )
    ActivityFactory()  # takes no referrals

    email = small_provider.ensure()
    club = User.objects.get(email=email)

    assert club.role == Role.PROVIDER_STAFF
    assert list(Provider.objects.filter(organisation=club.organisation)) == [first.provider]
    assert owned.provider.organisation.name != small_provider.CLUB_ORGANISATION
    assert small_provider.ensure() == email
    assert Provider.objects.filter(organisation=club.organisation).count() == 1
    assert later.provider.organisation_id is None


def test_the_peopled_area_lists_a_live_activity_in_the_first_persons_district():
    ServiceUserFactory(postcode="LS1 4AP")
    ServiceUserFactory(postcode="M1 1AE")
    archived, nearby, listed = (ActivePartnershipFactory() for _ in range(3))

    def listing(partnership, postcode, **kwargs):
        venue = VenueFactory(provider__partnership=partnership, postcode=postcode)
        ActivityFactory(venue=venue, provider=venue.provider, **kwargs)

    listing(archived, "LS1 5AA", archived=True)
    listing(nearby, "LS10 1AA")  # not LS1
    assert peopled_partnership() == ("LS1", None)
    listing(listed, "LS1 2AB")
    assert peopled_partnership() == ("LS1", listed.pk)


def test_a_changing_request_is_replayed_from_each_runs_own_statements(monkeypatch):
    from bench import measure as bench_measure

    monkeypatch.setattr(bench_measure, "RESULTS", [])
    runs = iter(range(10))
    order = []

    def request():
        # The warm-up and the first timed run read one table; later runs read it 3 times.
        n = next(runs)
        order.append("request")
        for _ in range(1 if n < 2 else 3):
            list(Provider.objects.all()[:1])

    result = bench_measure.measure(
        "changing", request, runs=3, changes=True, before=lambda: order.append("before")
    )

    assert result.queries == 3  # the median of 1, 3, 3, not the warm-up's 1
    assert order == ["before", "request"] * 4


@pytest.mark.django_db(transaction=True)
def test_a_changing_requests_commits_are_timed_and_its_own_commits_not_replayed(monkeypatch):
    """A replay is rolled back, so it never waits for a commit: a changing request's commits
    are timed as they happen and added, and a write that committed itself is not replayed."""
    from django.db import transaction

    from bench import measure as bench_measure

    monkeypatch.setattr(bench_measure, "RESULTS", [])
    replayed = []
    monkeypatch.setattr(bench_measure, "replay", lambda sqls: replayed.append(sqls) or 0.0)
    provider = ActivityFactory().provider

    def request():
        Provider.objects.filter(pk=provider.pk).update(name="Autocommitted")
        with transaction.atomic():
            Provider.objects.filter(pk=provider.pk).update(name="In a transaction")

    result = bench_measure.measure("commits", request, runs=2, changes=True)

    assert result.sql_median > 0  # the two commits' time, as the replay itself took none
    for sqls in replayed:
        updates = [sql for sql in sqls if sql.startswith("UPDATE")]
        assert len(updates) == 1 and "In a transaction" in updates[0]
        assert "COMMIT" in sqls


def test_outside_p95_is_taken_run_by_run(monkeypatch):
    """Runs whose own SQL was slow are not counted as time outside SQL."""
    from bench import measure as bench_measure

    monkeypatch.setattr(bench_measure, "RESULTS", [])
    state = {"run": -1, "now": 0.0}  # run -1 is the warm-up
    slow_runs = {4, 11}  # 2 of 20: their pages and their SQL took 500 ms more

    def request():
        state["run"] += 1
        state["now"] += 0.503 if state["run"] in slow_runs else 0.003

    monkeypatch.setattr(bench_measure.time, "perf_counter", lambda: state["now"])
    monkeypatch.setattr(
        bench_measure, "replay", lambda sqls: 501.0 if state["run"] in slow_runs else 1.0
    )
    result = bench_measure.measure("outside", request, runs=20)

    assert result.page_p95 - result.sql_median == pytest.approx(502.0)
    assert result.outside_p95 == pytest.approx(2.0)
