"""The Active Partnership's dashboard as tables and its page. Everything here leaves the
service, so every count goes through `suppress`.

`PARTNERSHIP_TABLES` names every downloadable table and the selector call that fills it.
"""

from datetime import timedelta

from outcomes.dashboards.partnership import selectors as area
from outcomes.dashboards.periods import Period
from outcomes.dashboards.tables import (
    SUPPRESS_BELOW,
    Column,
    Table,
    suppress,
)


def listings_by_type_table(listings: area.Listings) -> Table:
    return Table(
        slug="listings-by-type",
        caption="Live listings by activity type",
        columns=[
            Column("Activity type"),
            Column("Listings", "count"),
            Column("Need checking", "count"),
        ],
        rows=[
            [row.label, suppress(row.listings), suppress(row.needs_checking)]
            for row in listings.by_type
        ],
    )


def listings_by_district_table(listings: area.Listings) -> Table:
    return Table(
        slug="listings-by-district",
        caption="Live listings by postcode district",
        columns=[
            Column("District"),
            Column("Town"),
            Column("Listings", "count"),
            Column("Need checking", "count"),
        ],
        rows=[
            [row.label, row.town, suppress(row.listings), suppress(row.needs_checking)]
            for row in listings.by_district
        ],
    )


def referrals_by_month_table(months: list[area.MonthOfReferrals]) -> Table:
    return Table(
        slug="referrals-by-month",
        caption="Referrals received by providers in your area, by month",
        columns=[
            Column("Month"),
            Column("Received", "count"),
            Column("Accepted", "count"),
            Column("Attended at least once", "count"),
        ],
        rows=[
            [
                f"{month.month:%B %Y}",
                suppress(month.received),
                suppress(month.accepted),
                suppress(month.started),
            ]
            for month in months
        ],
    )


def gaps_table(gaps: list[area.Gap]) -> Table:
    return Table(
        slug="provision-gaps",
        caption="Provision gaps: wanted, with nothing within the distance people would travel",
        columns=[
            Column("District"),
            Column("Town"),
            Column("Kind"),
            Column("Wanted"),
            Column("People who want it", "count"),
            Column("With nothing in reach", "count"),
            Column("Nearest listing (km)", "decimal"),
        ],
        rows=[
            [
                gap.district,
                gap.town,
                gap.kind,
                gap.label,
                suppress(gap.people),
                suppress(gap.unmet),
                gap.nearest_km,
            ]
            for gap in gaps
        ],
        note="Counts from 1 to 4 are shown as “fewer than 5”. In-person listings only; "
        f"people who have not said how far they would travel are counted at "
        f"{area.DEFAULT_TRAVEL_KM} km.",
    )


PARTNERSHIP_TABLES = {
    "listings-by-type": lambda o, p: listings_by_type_table(area.listings(o)),
    "listings-by-district": lambda o, p: listings_by_district_table(area.listings(o)),
    "referrals-by-month": lambda o, p: referrals_by_month_table(
        area.referrals_by_month(o, whole_months(p))
    ),
    "provision-gaps": lambda o, p: gaps_table(area.provision_gaps(o)),
}


def partnership_page(partnership_id, period) -> dict:
    """Listings and gaps do not depend on the period; referrals by month need a valid one."""
    listings = area.listings(partnership_id)
    page = {
        "listing_total": suppress(listings.total),
        "listing_needs_checking": suppress(listings.needs_checking),
        "type_table": listings_by_type_table(listings),
        "district_table": listings_by_district_table(listings),
        "gap_table": gaps_table(area.provision_gaps(partnership_id)),
    }
    if period is not None:
        # Whole months only, and no total beside a hidden month: otherwise two periods a day
        # apart, or the total less the months shown, would give away a small count.
        period = whole_months(period)
        months = area.referrals_by_month(partnership_id, period)
        page["period"] = period
        page["month_table"] = referrals_by_month_table(months)
        hidden = any(0 < month.received < SUPPRESS_BELOW for month in months)
        total = sum(month.received for month in months)
        page["referrals_received"] = None if hidden else suppress(total)
    return page


def whole_months(period: Period) -> Period:
    after_end = (period.end.replace(day=1) + timedelta(days=32)).replace(day=1)
    return Period(start=period.start.replace(day=1), end=after_end - timedelta(days=1))
