"""After every row is read: settle each provider's and venue's details from its rows, warn of
postcodes nobody can find by distance, and note what each row changes."""

from providers import geography
from providers.csv_io.checks import NOT_CLEANED, other_constraint_messages
from providers.csv_io.columns import (
    COLUMN_NAMES,
    PROVIDER_FIELDS,
    TAG_COLUMNS,
    VENUE_FIELDS,
    name_key,
)
from providers.csv_io.plans import Findings, ProviderPlan, RowPlan, VenuePlan, activity_state
from providers.models import Outcode, Provider, Source


def settle_listing(plan: ProviderPlan | VenuePlan, findings: Findings) -> None:
    """Set a provider's or venue's details from its rows, and note what changes."""
    listing = plan.listing
    columns = {
        **{f: c for c, f in PROVIDER_FIELDS.items()},
        **{f: c for c, f in VENUE_FIELDS.items()},
    }
    for field_name in sorted(plan.present):
        value, row = plan.given.get(field_name, ("", plan.first_row))
        if getattr(listing, field_name) == value:
            continue
        setattr(listing, field_name, value)
        plan.changes.append(columns[field_name])
        if not plan.is_new and listing.source == Source.OPENACTIVE:
            findings.problem(
                row,
                columns[field_name],
                f"{listing.name} comes from an OpenActive feed, so change its details in the feed",
            )
    column = "provider_name" if isinstance(listing, Provider) else "venue_name"
    for message in other_constraint_messages(listing, NOT_CLEANED):
        findings.problem(plan.first_row, column, message)


def warn_of_unknown_postcodes(venue_plans: list[VenuePlan], findings: Findings) -> None:
    """A new venue in a postcode district we have no centre for cannot be found by
    distance. The postcode may be right (the table can lag), so it is not a problem."""
    new = [plan for plan in venue_plans if plan.is_new]
    districts = {geography.outcode_of(plan.venue.postcode) for plan in new}
    if not districts:
        return
    known = set(Outcode.objects.filter(outcode__in=districts).values_list("outcode", flat=True))
    for plan in new:
        if geography.outcode_of(plan.venue.postcode) not in known:
            findings.warn(
                plan.first_row,
                "postcode",
                f"We do not know where {plan.venue.postcode} is, so {plan.venue.name} "
                "will not be found by people searching by distance. Check the postcode",
            )


def settle_row(row: RowPlan, *, existing_names: set, findings: Findings) -> None:
    activity = row.activity
    provider = row.provider_plan.provider
    venue = row.venue_plan.venue if row.venue_plan else None
    if row.is_new:
        venue_pk = venue.pk if venue else None
        same_name = (provider.pk, venue_pk, name_key(activity.name)) in existing_names
        if provider.pk and (venue is None or venue_pk) and same_name:
            where = f" at {venue.name}" if venue else ""
            findings.warn(
                row.number,
                "activity_name",
                f"{provider.name} already has an activity called '{activity.name}'"
                f"{where}. Importing this row adds another. To change the one it has, "
                "export your listings, edit that file and import it",
            )
        return
    after = {**row.before, **activity_state(activity, with_tags=False)}
    for column, value in zip(
        TAG_COLUMNS, (row.suitability, row.accessibility, row.weekly_slots), strict=True
    ):
        if value is not None:
            after[column] = set(value)
    row.changes = [
        column
        for column in COLUMN_NAMES
        if column in row.before and row.before[column] != after[column]
    ]
    if row.provider_plan.is_new or provider.pk != activity.provider_id:
        row.changes.append("provider_name")
    if not row.keep_venue and (
        (row.venue_plan is not None and row.venue_plan.is_new)
        or (venue.pk if venue else None) != activity.venue_id
    ):
        row.changes.append("venue_name")
    if row.changes and activity.source == Source.OPENACTIVE:
        findings.problem(
            row.number,
            row.changes[0],
            "This activity comes from an OpenActive feed, so change it in the feed, or take "
            "this row out of the file",
        )
