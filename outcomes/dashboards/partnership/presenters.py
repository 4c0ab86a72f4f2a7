"""The Active Partnership's dashboard as tables and its page. Everything here leaves the
service, so every table is public: counts of people and referrals are published by NHS
Digital's rule (outcomes/dashboards/tables.py) on the page and in the CSV alike. Counts of
listings are not about people (the partnership can list its listings one by one), so they
are shown as they are.

`PARTNERSHIP_TABLES` names every downloadable table and the selector call that fills it.
"""

from django.core.paginator import Page, Paginator

from outcomes.dashboards.partnership import kept_figures
from outcomes.dashboards.partnership import selectors as area
from outcomes.dashboards.periods import covering_months
from outcomes.dashboards.tables import Column, Table, is_suppressed, suppress

LISTINGS = {"disclosive": False}  # a count of listings, not of people


def listings_by_type_table(listings: area.Listings) -> Table:
    return Table(
        slug="listings-by-type",
        caption="Live listings by activity type",
        columns=[
            Column("Activity type"),
            Column("Listings", "count", **LISTINGS),
            Column("Need checking", "count", **LISTINGS),
        ],
        rows=[[row.label, row.listings, row.needs_checking] for row in listings.by_type],
        public=True,
    )


# An area can hold listings in hundreds of districts (500 at the bench's scale 10): the page
# shows them a page at a time, the download all of them.
DISTRICTS_PER_PAGE = 50


def listings_by_district_table(listings: area.Listings, page: Page | None = None) -> Table:
    rows = page.object_list if page is not None else listings.by_district
    note = ""
    if page is not None and page.paginator.num_pages > 1:
        note = (
            f"Districts {page.start_index()} to {page.end_index()} of {page.paginator.count}. "
            "The spreadsheet has all of them."
        )
    return Table(
        slug="listings-by-district",
        caption="Live listings by postcode district",
        note=note,
        columns=[
            Column("District"),
            Column("Town"),
            Column("Listings", "count", **LISTINGS),
            Column("Need checking", "count", **LISTINGS),
        ],
        rows=[[row.label, row.town, row.listings, row.needs_checking] for row in rows],
        public=True,
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
            [f"{month.month:%B %Y}", month.received, month.accepted, month.started]
            for month in months
        ],
        public=True,
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
            [gap.district, gap.town, gap.kind, gap.label, gap.people, gap.unmet, gap.nearest_km]
            for gap in gaps
        ],
        note="People in touch with a Talking Therapies service during the period: their "
        "record was created, an episode was open, or a referral or signposting was made. "
        "In-person listings only; people who have not said how far they would travel are "
        f"counted at {area.DEFAULT_TRAVEL_KM} km.",
        public=True,
    )


def _kept(partnership_id, period) -> kept_figures.PeriodFigures:
    # A download waits for the figures: its link is on a page that showed them, so they
    # are almost always kept already.
    return kept_figures.period_figures(partnership_id, covering_months(period), wait=True)


PARTNERSHIP_TABLES = {
    "listings-by-type": lambda o, p: listings_by_type_table(area.listings(o)),
    "listings-by-district": lambda o, p: listings_by_district_table(area.listings(o)),
    "referrals-by-month": lambda o, p: referrals_by_month_table(_kept(o, p).months),
    "provision-gaps": lambda o, p: gaps_table(_kept(o, p).gaps),
}


def partnership_page(partnership_id, period, *, district_page=None) -> dict:
    """Listings do not depend on the period; gaps and referrals by month need a valid one,
    and are shown once the worker has them (kept_figures). `district_page`: which page of
    the districts' table (any bad value is the first or last page)."""
    listings = area.listings(partnership_id)
    districts = Paginator(listings.by_district, DISTRICTS_PER_PAGE).get_page(district_page)
    page = {
        "listing_total": listings.total,
        "listing_needs_checking": listings.needs_checking,
        "type_table": listings_by_type_table(listings),
        "district_table": listings_by_district_table(listings, districts),
        "district_page": districts,
    }
    if period is None:
        return page
    # Whole months only, and no total beside a hidden month: otherwise two periods a day
    # apart, or the total less the months shown, would give away a small count.
    period = covering_months(period)
    page["period"] = period
    figures = kept_figures.period_figures(partnership_id, period)
    if isinstance(figures, kept_figures.BeingWorkedOut):
        page["being_worked_out"] = figures
        return page
    months = figures.months
    page["worked_out_at"] = figures.worked_out_at
    page["gap_table"] = gaps_table(figures.gaps)
    page["month_table"] = referrals_by_month_table(months)
    hidden = any(is_suppressed(month.received) for month in months)
    total = sum(month.received for month in months)
    page["referrals_received"] = None if hidden else suppress(total)
    return page
