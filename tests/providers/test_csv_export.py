"""Exporting listings and the template as CSV that imports back unchanged (providers.csv_io)."""

import csv
import io
from datetime import time
from decimal import Decimal

import pytest

from providers import csv_io, services
from providers.csv_io import plan_import, read_table
from providers.models import (
    Activity,
    Source,
)
from tests.providers.factories import ActivityFactory, ProviderFactory, VenueFactory
from tests.providers.test_csv_support import (
    counts,
    import_rows,
    online_row,
    walk_row,
)

pytestmark = pytest.mark.usefixtures("uploads_in_tmp")


# --- Export ----------------------------------------------------------------------------------


def exported_rows(user) -> list[dict[str, str]]:
    text = csv_io.export_csv(user=user).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def test_export_then_import_changes_nothing(partnership_staff):
    partnership = partnership_staff.organisation
    provider = ProviderFactory(
        partnership=partnership, phone="+44 113 496 0000", website="https://club.example.org"
    )
    venue = VenueFactory(provider=provider, address_line_2="Unit 2", postcode="LS2 7AB")
    walk = ActivityFactory(venue=venue, description="=cmd|' /C calc'!A0 is a joke")
    services.activity_save(
        activity=walk,
        suitability=["beginners", "over_50s"],
        accessibility=["step_free"],
        weekly_slots=[(1, time(10), time(11)), (3, time(18, 30), time(19, 30))],
        by=partnership_staff,
    )
    ActivityFactory(
        venue=venue,
        is_free=False,
        price_full=Decimal("4.5"),
        price_concession=Decimal("0"),
        takes_referrals=True,
        referral_phone="-0113 496 0001",
        group_size=8,
        capacity=20,
        format=Activity.Format.ONE_TO_ONE,
        intensity=Activity.Intensity.VIGOROUS,
        booking_required=True,
    )
    ActivityFactory(
        provider=ProviderFactory(partnership=partnership, name="@Online only"),
        venue=None,
        delivery_mode=Activity.DeliveryMode.ONLINE,
        online_url="https://example.org/live",
        source=Source.CSV,
        external_id="ONLINE-1",
    )
    import_rows([walk_row(), online_row()], partnership_staff)  # listings from an import too
    before = counts()
    before_activities = list(Activity.objects.order_by("pk").values())

    table = read_table(data=csv_io.export_csv(user=partnership_staff))
    assert len(table.rows) == 5
    plan = plan_import(table=table, user=partnership_staff)
    assert plan.problems == []
    summary = plan.summary()["counts"]
    assert (summary["new"], summary["changed"], summary["unchanged"]) == (0, 0, 5)
    assert (summary["new_providers"], summary["changed_providers"]) == (0, 0)
    assert (summary["new_venues"], summary["changed_venues"]) == (0, 0)
    csv_io.import_table(table=table, user=partnership_staff)
    assert counts() == before
    assert list(Activity.objects.order_by("pk").values()) == before_activities


def test_export_protects_against_formula_injection(partnership_staff):
    provider = ProviderFactory(
        partnership=partnership_staff.organisation,
        name='=HYPERLINK("http://evil.example","Click")',
        phone="+44 113 496 0000",
    )
    ActivityFactory(venue__provider=provider, name="@SUM(A1:A2)", description="-2+3")
    [row] = exported_rows(partnership_staff)
    assert row["provider_name"] == '\'=HYPERLINK("http://evil.example","Click")'
    assert row["provider_phone"] == "'+44 113 496 0000"
    assert row["activity_name"] == "'@SUM(A1:A2)"
    assert row["description"] == "'-2+3"
    assert row["postcode"] == "LS1 4AP"


@pytest.mark.parametrize(
    ("value", "escaped"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("a=1", "a=1"),
        ("'quoted", "'quoted"),
        ("", ""),
    ],
)
def test_escaping_a_cell_is_undone_on_import(value, escaped):
    assert csv_io.escape_cell(value) == escaped
    assert csv_io.unescape_cell(escaped) == value


def test_export_has_only_the_users_live_listings(partnership_staff, provider_staff):
    ours = ActivityFactory(venue__provider__partnership=partnership_staff.organisation)
    archived = ActivityFactory(venue__provider__partnership=partnership_staff.organisation)
    services.listing_archive(listing=archived, by=partnership_staff)
    ActivityFactory(name="Someone else's")  # another partnership
    own = ActivityFactory(
        venue__provider__organisation=provider_staff.organisation,
        venue__provider__partnership=partnership_staff.organisation,
    )
    assert {row["activity_id"] for row in exported_rows(partnership_staff)} == {
        str(ours.public_id),
        str(own.public_id),
    }
    assert [row["activity_id"] for row in exported_rows(provider_staff)] == [str(own.public_id)]
    assert list(exported_rows(provider_staff)[0]) == list(csv_io.COLUMN_NAMES)


def test_template_has_the_columns_and_two_examples():
    text = csv_io.template_csv().decode("utf-8").lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == list(csv_io.COLUMN_NAMES)
    assert len(rows) == 3
