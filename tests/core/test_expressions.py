"""AnyOf: `column IN (keys)` as one array parameter on PostgreSQL, the same rows as `__in`."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from providers.models import Activity, Outcode
from talkingmoves.core.expressions import AnyOf
from tests.providers.factories import ActivityFactory


def test_the_same_rows_as_an_in_list_in_one_parameter(db):
    activities = [ActivityFactory() for _ in range(3)]
    wanted = [activities[0].pk, activities[2].pk]
    with CaptureQueriesContext(connection) as queries:
        found = set(Activity.objects.filter(AnyOf("id", wanted)).values_list("pk", flat=True))
    assert found == set(Activity.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    assert found == set(wanted)
    assert "= ANY(" in queries.captured_queries[0]["sql"]


def test_text_keys(db):
    Outcode.objects.get_or_create(
        outcode="ZZ99", defaults={"latitude": 51.5, "longitude": -0.1, "region": "Nowhere"}
    )
    found = Outcode.objects.filter(AnyOf("outcode", ["ZZ99", "QQ0"], of="text"))
    assert list(found.values_list("outcode", flat=True)) == ["ZZ99"]


def test_no_keys_match_nothing_without_a_query(db, django_assert_num_queries):
    ActivityFactory()
    with django_assert_num_queries(0):
        assert list(Activity.objects.filter(AnyOf("id", []))) == []
