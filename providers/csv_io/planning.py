"""Checking every row of a file and working out what importing it would do. Writes nothing.

Each row is read with the column readers (columns.py), matched to the providers, venues and
activities the user may change (existing.py, matching.py), built into model instances and
checked against the models' rules (checks.py); then what the file changes is settled
(settling.py). Lookups are a fixed handful of queries for the whole file (activity types,
the user's providers, venues and the activities the file names), never one per row.
"""

from django.core.exceptions import ValidationError

from providers.csv_io.checks import NOT_CLEANED, error_messages, other_constraint_messages
from providers.csv_io.columns import (
    ACTIVITY_FIELDS,
    COLUMN_NAMES,
    DELIVERY_MODE,
    TAG_COLUMNS,
    VENUE_COLUMNS,
    ActivityTypes,
    CellError,
    read_accessibility,
    read_suitable_for,
)
from providers.csv_io.existing import ExistingListings, new_provider_owner
from providers.csv_io.matching import Matcher
from providers.csv_io.plans import Findings, Plan, RowPlan, activity_state
from providers.csv_io.reading import Table
from providers.csv_io.settling import settle_listing, settle_row, warn_of_unknown_postcodes
from providers.models import Activity, Source, WeeklySlot
from providers.schedule import ScheduleError, parse_weekly_times
from talkingmoves.vocabulary.activities import DeliveryMode, Interest


class _Planner:
    def __init__(self, *, table: Table, user, progress=None):
        self.table = table
        self.progress = progress
        self.findings = Findings()
        self.rows: list[RowPlan] = []
        self.types = ActivityTypes()
        self.existing = ExistingListings(table=table, user=user)
        self.matcher = Matcher(
            existing=self.existing, owner=new_provider_owner(user), findings=self.findings
        )

    def plan(self) -> Plan:
        findings, matcher = self.findings, self.matcher
        for number in self.table.long_rows:
            findings.problem(number, "", "This row has more cells than there are column names")
        for number, cells in self.table.rows:
            self._plan_row(number, cells)
            if self.progress is not None:
                self.progress.advance()
        for plan in [*matcher.provider_plans.values(), *matcher.venue_plans.values()]:
            settle_listing(plan, findings)
        warn_of_unknown_postcodes(list(matcher.venue_plans.values()), findings)
        for row in self.rows:
            settle_row(row, existing_names=self.existing.existing_names, findings=findings)
        order = {name: index for index, name in enumerate(COLUMN_NAMES)}
        findings.problems.sort(key=lambda p: (p.row, order.get(p.column, -1)))
        return Plan(
            row_count=len(self.table.rows),
            rows=self.rows,
            providers=list(matcher.provider_plans.values()),
            venues=list(matcher.venue_plans.values()),
            problems=findings.problems,
            warnings=findings.warnings,
        )

    def _plan_row(self, number: int, cells: dict[str, str]) -> None:
        problems_before = len(self.findings.problems)
        required = {
            "provider_name": "Enter the provider's name",
            "activity_name": "Enter the activity's name",
            "activity_type": "Enter the type of activity from the OpenActive activity list, "
            f"like '{Interest.WALKING}'",
        }
        for column, message in required.items():
            if not cells.get(column):
                self.findings.problem(number, column, message)
        existing, matched = self.matcher.activity_for(number, cells)
        provider_plan = None
        if cells.get("provider_name"):
            provider_plan = self.matcher.provider_for(number, cells, existing)
        has_venue_columns = any(column in cells for column in VENUE_COLUMNS)
        venue_plan, venue_checked = None, provider_plan is not None
        if provider_plan and has_venue_columns:
            venue_plan, venue_checked = self.matcher.venue_for(
                number, cells, provider_plan, existing
            )

        before = activity_state(existing) if existing else None
        activity = existing or Activity(source=Source.CSV)
        failed = set()
        for column, (name, read) in ACTIVITY_FIELDS.items():
            if column not in cells:
                continue
            try:
                setattr(activity, name, read(cells[column]))
            except CellError as error:
                self.findings.problem(number, column, str(error))
                failed.add(name)
        if not cells.get("activity_name"):
            failed.add("name")
        if cells.get("activity_type"):
            try:
                activity.activity_type = self.types.read(cells["activity_type"])
            except CellError as error:
                self.findings.problem(number, "activity_type", str(error))
        if cells.get("external_id") and activity.source != Source.OPENACTIVE:
            activity.external_id = cells["external_id"]
            if activity.source == Source.MANUAL:
                activity.source = Source.CSV  # kept up to date by spreadsheet from now on
        tags = {column: None for column in TAG_COLUMNS}
        for column, read in (
            ("suitable_for", read_suitable_for),
            ("accessibility", read_accessibility),
            ("weekly_times", parse_weekly_times),
        ):
            if column in cells:
                try:
                    tags[column] = read(cells[column])
                except (CellError, ScheduleError) as error:
                    self.findings.problem(number, column, str(error))
        for weekday, start, end in tags["weekly_times"] or []:
            slot = WeeklySlot(weekday=weekday, start_time=start, end_time=end)
            for message in other_constraint_messages(slot, NOT_CLEANED):
                self.findings.problem(number, "weekly_times", message)

        will_have_venue = venue_plan is not None or (
            not has_venue_columns and activity.venue_id is not None
        )
        self._check_activity(number, activity, failed, will_have_venue or not venue_checked)
        if len(self.findings.problems) > problems_before or not matched or provider_plan is None:
            return
        self.rows.append(
            RowPlan(
                number=number,
                activity=activity,
                before=before,
                provider_plan=provider_plan,
                venue_plan=venue_plan,
                keep_venue=not has_venue_columns,
                suitability=tags["suitable_for"],
                accessibility=tags["accessibility"],
                weekly_slots=tags["weekly_times"],
            )
        )

    def _check_activity(self, number, activity, failed, has_venue) -> None:
        """The activity's database rules, with messages that say which column to change."""
        if activity.is_free and activity.price_full and "price_full" not in failed:
            self.findings.problem(
                number,
                "price_full",
                "A free activity cannot have a full price. Leave price_full empty, or set free "
                "to no",
            )
        if activity.takes_referrals and not (activity.referral_email or activity.referral_phone):
            self.findings.problem(
                number,
                "referral_email",
                "Enter an email address or phone number for referrals, or set takes_referrals "
                "to no",
            )
        if activity.delivery_mode != DeliveryMode.ONLINE and not has_venue:
            self.findings.problem(
                number,
                "venue_name",
                "An activity delivered in person needs a venue. Enter the venue's name and "
                f"postcode, or set delivery_mode to {DELIVERY_MODE.write(DeliveryMode.ONLINE)}",
            )
        exclude = NOT_CLEANED | failed
        try:
            activity.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            for column, message in error_messages(error, Activity, "Activity"):
                self.findings.problem(number, column, message)
        for message in other_constraint_messages(activity, exclude):
            self.findings.problem(number, "", message)


def plan_import(*, table: Table, user, progress=None) -> Plan:
    """Check every row and work out what importing would add and change. Writes nothing.
    `progress` (a job's) hears of each row checked."""
    return _Planner(table=table, user=user, progress=progress).plan()
