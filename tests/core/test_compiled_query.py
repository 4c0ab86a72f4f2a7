"""CompiledValues: compiled once, then each run's own values, and nothing of the first
request kept for the next (the caseload's rows, referrals/records/caseload_row_query.py)."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Value
from django.utils import timezone

from providers.models import Activity
from referrals.records import caseload_row_query
from referrals.records.caseload_row_query import caseload_rows
from talkingmoves.core.compiled_query import (
    CompiledInstances,
    CompiledValues,
    a_moment,
    an_id,
    ids_for_any_of,
)
from talkingmoves.core.expressions import AnyOf
from tests.providers.factories import ActivityFactory
from tests.referrals.factories import ReferralFactory, ServiceUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _compile_afresh():
    """Each test compiles its own statements, as a new process would."""
    caseload_row_query.ROWS = CompiledValues(
        caseload_row_query._rows_query,
        service_id=an_id(),
        ids=ids_for_any_of(),
        no_show_cutoff=a_moment(),
    )


def _names(rows):
    return [row.family_name for row in rows]


def test_the_second_request_reads_its_own_service_not_the_firsts(
    clinician, other_clinician, django_assert_num_queries
):
    mine = [ServiceUserFactory(service=clinician.organisation, family_name=n) for n in "AB"]
    theirs = ServiceUserFactory(service=other_clinician.organisation, family_name="C")
    assert _names(caseload_rows(clinician, [p.pk for p in mine])) == ["A", "B"]
    # Compiled by the first call; the service and the ids are this call's.
    with django_assert_num_queries(1):
        assert _names(caseload_rows(other_clinician, [mine[0].pk, theirs.pk])) == ["C"]
    assert _names(caseload_rows(clinician, [theirs.pk, mine[1].pk])) == ["B"]


def test_the_no_show_cutoff_moves_with_the_clock(clinician, activity):
    person = ServiceUserFactory(service=clinician.organisation)
    now = timezone.now()
    ReferralFactory(service_user=person, activity=activity, status="accepted", answered_at=now)
    [row] = caseload_rows(clinician, [person.pk])  # compiled now
    assert not row.has_no_show and not row.needs_attention
    with time_machine.travel(now + timedelta(days=22)):
        [row] = caseload_rows(clinician, [person.pk])
    assert row.has_no_show and row.needs_attention


def test_the_same_rows_as_the_queryset_built_each_time(clinician, activity):
    people = [ServiceUserFactory(service=clinician.organisation) for _ in range(3)]
    ReferralFactory(service_user=people[1], activity=activity, status="declined")
    ids = [p.pk for p in people]
    cutoff = timezone.now() - timedelta(days=21)
    built = caseload_row_query._rows_query(
        clinician.role, service_id=clinician.organisation_id, ids=ids, no_show_cutoff=cutoff
    )
    compiled = caseload_row_query.ROWS.rows(
        clinician.role, service_id=clinician.organisation_id, ids=ids, no_show_cutoff=cutoff
    )
    assert sorted(compiled, key=lambda row: row["pk"]) == sorted(built, key=lambda r: r["pk"])


def _activities(shape, *, ids):
    return Activity.objects.filter(AnyOf("pk", ids)).values("pk", "name")


def test_a_moment_compiled_in_is_refused():
    def with_now(shape, *, ids):
        return _activities(shape, ids=ids).annotate(at=Value(timezone.now()))

    query = CompiledValues(with_now, ids=ids_for_any_of())
    with pytest.raises(ImproperlyConfigured, match="compiles in the moment"):
        query.rows(ids=[1])


def test_a_value_no_parameter_takes_is_refused():
    def ignores_the_service(shape, *, ids, service_id):
        return _activities(shape, ids=ids)

    query = CompiledValues(ignores_the_service, ids=ids_for_any_of(), service_id=an_id())
    with pytest.raises(ImproperlyConfigured, match="no parameter took service_id"):
        query.rows(ids=[1], service_id=2)


def test_rows_are_converted_as_django_converts_them():
    activity = ActivityFactory(name="Walking netball")
    query = CompiledValues(_activities, ids=ids_for_any_of())
    assert query.rows(ids=[activity.pk]) == [{"pk": activity.pk, "name": "Walking netball"}]
    assert query.rows(ids=[activity.pk + 1000]) == []


def test_tuples_are_the_rows_values_in_the_order_the_build_names_them():
    first, second = ActivityFactory(name="Walking netball"), ActivityFactory(name="Tai chi")

    def named(shape, *, ids):
        return (
            Activity.objects.filter(AnyOf("pk", ids))
            .annotate(label=Value("listing"))
            .order_by("-name")
            .values("name", "label", "pk")
        )

    query = CompiledValues(named, ids=ids_for_any_of())
    assert query.tuples(ids=[first.pk, second.pk]) == [
        ("Walking netball", "listing", first.pk),
        ("Tai chi", "listing", second.pk),
    ]
    assert query.tuples(ids=[second.pk]) == [("Tai chi", "listing", second.pk)]


def test_a_role_that_sees_no_one_reads_nothing(
    provider_staff, clinician, django_assert_num_queries
):
    person = ServiceUserFactory(service=clinician.organisation)
    provider_staff.organisation_id = clinician.organisation_id  # as if it were the service's
    with django_assert_num_queries(0):
        assert caseload_rows(provider_staff, [person.pk]) == []


def _with_provider_and_venue(shape, *, ids):
    return (
        Activity.objects.filter(AnyOf("pk", ids))
        .select_related("provider", "venue")
        .only("name", "provider__name", "venue__name")
        .annotate(label=Value("listing"))
        .order_by("-name")
    )


def test_instances_are_what_the_querysets_own_iteration_gives(django_assert_num_queries):
    walking = ActivityFactory(name="Walking netball")
    online = ActivityFactory(name="Online yoga", online=True)
    query = CompiledInstances(_with_provider_and_venue, ids=ids_for_any_of())
    for ids in ([walking.pk, online.pk], [online.pk], [walking.pk]):
        expected = list(_with_provider_and_venue(None, ids=ids))
        with django_assert_num_queries(1):
            found = query.instances(ids=ids)
        assert found == expected  # the same rows, in the same order
        with django_assert_num_queries(0):
            assert [
                (a.name, a.label, a.provider.name, a.venue and a.venue.name) for a in found
            ] == [(a.name, a.label, a.provider.name, a.venue and a.venue.name) for a in expected]
        assert [a.get_deferred_fields() for a in found] == [
            a.get_deferred_fields() for a in expected
        ]
    assert query.instances(ids=[walking.pk + online.pk + 1000]) == []
    # first(): the first in the build's own order ("-name"), or None.
    assert query.first(ids=[walking.pk, online.pk]).name == "Walking netball"
    assert query.first(ids=[online.pk]).name == "Online yoga"
    assert query.first(ids=[walking.pk + online.pk + 1000]) is None


def test_an_instance_read_can_be_saved_as_a_queried_one_can(django_assert_num_queries):
    activity = ActivityFactory(name="Walking netball")
    [read] = CompiledInstances(_with_provider_and_venue, ids=ids_for_any_of()).instances(
        ids=[activity.pk]
    )
    assert read._state.db == "default" and not read._state.adding
    read.name = "Walking football"
    read.save(update_fields=["name"])
    activity.refresh_from_db()
    assert activity.name == "Walking football"
