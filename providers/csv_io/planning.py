"""Checking every row of a file and working out what importing it would do. Writes nothing.

Each row is read with the column readers (columns.py), matched to the providers, venues and
activities the user may change, built into model instances and checked against the models'
rules (checks.py). Lookups are a fixed handful of queries for the whole file (activity types,
the user's providers, venues and the activities the file names), never one per row.

Matching:
- an activity by activity_id (from an export), else by external_id among the user's
  spreadsheet-imported activities, else it is new;
- a provider by name among the user's providers (a partnership officer may add one; provider
  staff may not), and a venue by provider, name and postcode.
"""

import contextlib
import uuid

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q

from providers import geography
from providers.csv_io.checks import NOT_CLEANED, error_messages, other_constraint_messages
from providers.csv_io.columns import (
    ACTIVITY_FIELDS,
    COLUMN_NAMES,
    PROVIDER_FIELDS,
    TAG_COLUMNS,
    VENUE_COLUMNS,
    VENUE_FIELDS,
    ActivityTypes,
    CellError,
    name_key,
    read_accessibility,
    read_suitable_for,
    read_web_address,
)
from providers.csv_io.plans import Plan, Problem, ProviderPlan, RowPlan, VenuePlan, activity_state
from providers.csv_io.reading import Table
from providers.models import Activity, Outcode, Provider, Source, Venue, WeeklySlot
from providers.schedule import ScheduleError, parse_weekly_times
from providers.scopes import editable
from talkingmoves.accounts.models import Role


def _new_provider_owner(user) -> dict | None:
    """Who owns a provider first named in a file; None if this user may not add providers
    (the same rule as adding one by hand)."""
    if user.role == Role.PARTNERSHIP_STAFF:
        return {"partnership_id": user.organisation_id}
    if user.role == Role.SERVICE_LEAD:
        return {"organisation_id": user.organisation_id}  # an in-house offer
    return None  # provider staff: their provider is set up by their partnership


def _and_list(names) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


class _Planner:
    def __init__(self, *, table: Table, user):
        self.table, self.user = table, user
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.rows: list[RowPlan] = []
        self.types = ActivityTypes()
        self.owner = _new_provider_owner(user)
        self.provider_plans: dict[tuple, ProviderPlan] = {}
        self.venue_plans: dict[tuple, VenuePlan] = {}
        self.seen_ids: dict[str, int] = {}
        self.seen_external_ids: dict[str, int] = {}
        # By name, the oldest listing wins when a name is used twice.
        self.providers_by_pk = {p.pk: p for p in editable(user, Provider).live().order_by("-pk")}
        self.providers_by_name = {name_key(p.name): p for p in self.providers_by_pk.values()}
        self.venues_by_pk, self.venues_by_name = {}, {}
        for venue in editable(user, Venue).live().order_by("-pk"):
            self.venues_by_pk[venue.pk] = venue
            named = (venue.provider_id, name_key(venue.name))
            self.venues_by_name[(*named, venue.postcode)] = venue
            self.venues_by_name[(*named, None)] = venue  # for a file with no postcode column
        self._load_activities()

    def _load_activities(self) -> None:
        public_ids, external_ids = set(), set()
        for _, cells in self.table.rows:
            with contextlib.suppress(ValueError):
                public_ids.add(uuid.UUID(cells.get("activity_id", "")))
            if cells.get("external_id"):
                external_ids.add(cells["external_id"])
        self.by_public_id: dict[uuid.UUID, Activity] = {}
        self.by_external_id: dict[str, list[Activity]] = {}
        if public_ids or external_ids:
            found = (
                editable(self.user, Activity)
                .live()
                .filter(
                    Q(public_id__in=public_ids) | Q(source=Source.CSV, external_id__in=external_ids)
                )
                .select_related("activity_type", "provider", "venue")
                .prefetch_related(
                    "suitability",
                    "accessibility",
                    Prefetch("weekly_slots", queryset=WeeklySlot.objects.order_by()),
                )
            )
            for activity in found:
                self.by_public_id[activity.public_id] = activity
                if activity.source == Source.CSV and activity.external_id in external_ids:
                    self.by_external_id.setdefault(activity.external_id, []).append(activity)
        self.existing_names = {
            (provider_id, venue_id, name_key(name))
            for provider_id, venue_id, name in editable(self.user, Activity)
            .live()
            .values_list("provider_id", "venue_id", "name")
        }

    def problem(self, row: int, column: str, message: str) -> None:
        self.problems.append(Problem(row, column, message))

    def plan(self) -> Plan:
        for number in self.table.long_rows:
            self.problem(number, "", "This row has more cells than there are column names")
        for number, cells in self.table.rows:
            self._plan_row(number, cells)
        for plan in [*self.provider_plans.values(), *self.venue_plans.values()]:
            self._settle_listing(plan)
        self._warn_of_unknown_postcodes()
        for row in self.rows:
            self._settle_row(row)
        order = {name: index for index, name in enumerate(COLUMN_NAMES)}
        self.problems.sort(key=lambda p: (p.row, order.get(p.column, -1)))
        return Plan(
            row_count=len(self.table.rows),
            rows=self.rows,
            providers=list(self.provider_plans.values()),
            venues=list(self.venue_plans.values()),
            problems=self.problems,
            warnings=self.warnings,
        )

    # One row --------------------------------------------------------------------------------

    def _plan_row(self, number: int, cells: dict[str, str]) -> None:
        problems_before = len(self.problems)
        required = {
            "provider_name": "Enter the provider's name",
            "activity_name": "Enter the activity's name",
            "activity_type": "Enter the type of activity from the OpenActive activity list, "
            "like 'Walking'",
        }
        for column, message in required.items():
            if not cells.get(column):
                self.problem(number, column, message)
        existing, matched = self._match_activity(number, cells)
        provider_plan = None
        if cells.get("provider_name"):
            provider_plan = self._provider_for(number, cells, existing)
        has_venue_columns = any(column in cells for column in VENUE_COLUMNS)
        venue_plan, venue_checked = None, provider_plan is not None
        if provider_plan and has_venue_columns:
            venue_plan, venue_checked = self._venue_for(number, cells, provider_plan, existing)

        before = activity_state(existing) if existing else None
        activity = existing or Activity(source=Source.CSV)
        failed = set()
        for column, (name, read) in ACTIVITY_FIELDS.items():
            if column not in cells:
                continue
            try:
                setattr(activity, name, read(cells[column]))
            except CellError as error:
                self.problem(number, column, str(error))
                failed.add(name)
        if not cells.get("activity_name"):
            failed.add("name")
        if cells.get("activity_type"):
            try:
                activity.activity_type = self.types.read(cells["activity_type"])
            except CellError as error:
                self.problem(number, "activity_type", str(error))
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
                    self.problem(number, column, str(error))
        for weekday, start, end in tags["weekly_times"] or []:
            slot = WeeklySlot(weekday=weekday, start_time=start, end_time=end)
            for message in other_constraint_messages(slot, NOT_CLEANED):
                self.problem(number, "weekly_times", message)

        will_have_venue = venue_plan is not None or (
            not has_venue_columns and activity.venue_id is not None
        )
        self._check_activity(number, activity, failed, will_have_venue or not venue_checked)
        if len(self.problems) > problems_before or not matched or provider_plan is None:
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
            self.problem(
                number,
                "price_full",
                "A free activity cannot have a full price. Leave price_full empty, or set free "
                "to no",
            )
        if activity.takes_referrals and not (activity.referral_email or activity.referral_phone):
            self.problem(
                number,
                "referral_email",
                "Enter an email address or phone number for referrals, or set takes_referrals "
                "to no",
            )
        if activity.delivery_mode != Activity.DeliveryMode.ONLINE and not has_venue:
            self.problem(
                number,
                "venue_name",
                "An activity delivered in person needs a venue. Enter the venue's name and "
                "postcode, or set delivery_mode to online",
            )
        exclude = NOT_CLEANED | failed
        try:
            activity.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            for column, message in error_messages(error, Activity, "Activity"):
                self.problem(number, column, message)
        for message in other_constraint_messages(activity, exclude):
            self.problem(number, "", message)

    def _match_activity(self, number, cells) -> tuple[Activity | None, bool]:
        """The existing activity the row changes (None for a new one), and whether the row's
        ids made sense."""
        activity = None
        raw_id, external_id = cells.get("activity_id", ""), cells.get("external_id", "")
        if raw_id:
            try:
                public_id = uuid.UUID(raw_id)
            except ValueError:
                self.problem(
                    number,
                    "activity_id",
                    f"'{raw_id}' is not an activity id from an export. Leave activity_id empty "
                    "for a new activity",
                )
                return None, False
            if str(public_id) in self.seen_ids:
                self.problem(
                    number,
                    "activity_id",
                    f"Row {self.seen_ids[str(public_id)]} has the same activity_id. An activity "
                    "can only be in the file once",
                )
                return None, False
            self.seen_ids[str(public_id)] = number
            activity = self.by_public_id.get(public_id)
            if activity is None:
                self.problem(
                    number,
                    "activity_id",
                    f"'{raw_id}' is not one of your live activities. Leave activity_id empty to "
                    "add it as a new activity",
                )
                return None, False
        if not external_id:
            return activity, True
        if external_id in self.seen_external_ids:
            self.problem(
                number,
                "external_id",
                f"Row {self.seen_external_ids[external_id]} has the same external_id. Give each "
                "activity its own external_id",
            )
            return activity, False
        self.seen_external_ids[external_id] = number
        matches = self.by_external_id.get(external_id, [])
        if activity is None and len(matches) > 1:
            self.problem(
                number,
                "external_id",
                f"'{external_id}' is the external_id of {len(matches)} of your activities. "
                "Export your listings and use that file: it says which activity is which",
            )
            return None, False
        if activity is None:
            return (matches[0] if matches else None), True
        if matches and matches[0].pk != activity.pk:
            self.problem(
                number,
                "external_id",
                f"'{external_id}' is already the external_id of another of your activities, "
                f"'{matches[0].name}'",
            )
            return activity, False
        return activity, True

    def _provider_for(self, number, cells, existing_activity) -> ProviderPlan | None:
        name = cells["provider_name"]
        wanted = name_key(name)
        current = self.providers_by_pk.get(existing_activity and existing_activity.provider_id)
        if current and name_key(current.name) == wanted:
            provider = current  # when a name is used twice, keep the one the activity has
        else:
            provider = self.providers_by_name.get(wanted)
        plan_key = ("pk", provider.pk) if provider else ("new", wanted)
        plan = self.provider_plans.get(plan_key)
        if plan is None:
            if provider is None and self.owner is None:
                names = sorted(p.name for p in self.providers_by_pk.values())
                self.problem(
                    number,
                    "provider_name",
                    f"'{name}' is not one of your providers. You can only import activities for "
                    f"{_and_list(names) if names else 'your own provider'}",
                )
                return None
            plan = ProviderPlan(
                provider=provider or Provider(name=name, source=Source.CSV, **self.owner),
                first_row=number,
                is_new=provider is None,
            )
            self.provider_plans[plan_key] = plan
        checked = Provider(name=name)
        fields = {"name": "provider_name"}
        for column, field_name in PROVIDER_FIELDS.items():
            if column in cells:
                value = cells[column]
                if column == "provider_website":
                    value = read_web_address(value)
                setattr(checked, field_name, value)
                fields[field_name] = column
        if self._clean_fields(number, checked, fields, "Provider"):
            for field_name, column in fields.items():
                if field_name != "name":
                    self._give(number, plan, field_name, column, getattr(checked, field_name))
        return plan

    def _venue_for(self, number, cells, provider_plan, existing_activity):
        """The row's venue plan (None for an online activity), and whether the venue's cells
        were readable."""
        values = {column: cells.get(column, "") for column in VENUE_COLUMNS}
        if not any(values.values()):
            return None, True
        name = values["venue_name"]
        if not name:
            self.problem(
                number,
                "venue_name",
                "Enter the venue's name, or leave the address columns empty for an activity "
                "that is only online",
            )
            return None, False
        postcode = None  # the file has no postcode column
        if "postcode" in cells:
            postcode = ""
            if values["postcode"]:
                try:
                    postcode = geography.normalise_postcode(values["postcode"])
                except geography.PostcodeError as error:
                    self.problem(
                        number, "postcode", f"'{values['postcode']}' is not a postcode. {error}"
                    )
                    return None, False
        venue = None
        provider = provider_plan.provider
        if not provider_plan.is_new:
            named = (provider.pk, name_key(name), postcode)
            current = self.venues_by_pk.get(existing_activity and existing_activity.venue_id)
            if (
                current
                and (current.provider_id, name_key(current.name)) == named[:2]
                and (postcode is None or current.postcode == postcode)
            ):
                venue = current  # when a name is used twice, keep the one the activity has
            else:
                venue = self.venues_by_name.get(named)
        new_key = ("new", id(provider_plan), name_key(name), postcode)
        plan_key = ("pk", venue.pk) if venue else new_key
        plan = self.venue_plans.get(plan_key)
        if plan is None:
            if venue is None and not postcode:
                self.problem(number, "postcode", "Enter the venue's postcode")
                return None, False
            plan = VenuePlan(
                venue=venue or Venue(name=name, postcode=postcode, source=Source.CSV),
                provider_plan=provider_plan,
                first_row=number,
                is_new=venue is None,
            )
            self.venue_plans[plan_key] = plan
        checked = Venue(name=name, postcode=postcode or "")
        fields = {"name": "venue_name"}
        for column, field_name in VENUE_FIELDS.items():
            if column in cells:
                setattr(checked, field_name, cells[column])
                fields[field_name] = column
        if self._clean_fields(number, checked, fields, "Venue"):
            for field_name, column in fields.items():
                if field_name != "name":
                    self._give(number, plan, field_name, column, getattr(checked, field_name))
        return plan, True

    def _clean_fields(self, number, instance, fields: dict[str, str], label: str) -> bool:
        exclude = [f.name for f in instance._meta.concrete_fields if f.name not in fields]
        try:
            instance.clean_fields(exclude=exclude)
        except ValidationError as error:
            for column, message in error_messages(error, type(instance), label):
                self.problem(number, column, message)
            return False
        return True

    def _give(self, number, plan, field_name: str, column: str, value: str) -> None:
        """Rows give a provider's or venue's details. An empty cell leaves them to other rows,
        so they need only be on one row; two rows giving different details is a problem."""
        plan.present.add(field_name)
        if not value:
            return
        if field_name in plan.given and plan.given[field_name][0] != value:
            other, row = plan.given[field_name]
            self.problem(
                number,
                column,
                f"'{value}' is not the same as row {row} ('{other}') for "
                f"{plan.listing.name}. Give the same details on every row, or leave them empty "
                "after the first",
            )
            return
        plan.given.setdefault(field_name, (value, number))

    # After every row ------------------------------------------------------------------------

    def _settle_listing(self, plan: ProviderPlan | VenuePlan) -> None:
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
                self.problem(
                    row,
                    columns[field_name],
                    f"{listing.name} comes from an OpenActive feed, so change its details in the "
                    "feed",
                )
        column = "provider_name" if isinstance(listing, Provider) else "venue_name"
        for message in other_constraint_messages(listing, NOT_CLEANED):
            self.problem(plan.first_row, column, message)

    def _warn_of_unknown_postcodes(self) -> None:
        """A new venue in a postcode district we have no centre for cannot be found by
        distance. The postcode may be right (the table can lag), so it is not a problem."""
        new = [plan for plan in self.venue_plans.values() if plan.is_new]
        districts = {geography.outcode_of(plan.venue.postcode) for plan in new}
        if not districts:
            return
        known = set(Outcode.objects.filter(outcode__in=districts).values_list("outcode", flat=True))
        for plan in new:
            if geography.outcode_of(plan.venue.postcode) not in known:
                self.warnings.append(
                    Problem(
                        plan.first_row,
                        "postcode",
                        f"We do not know where {plan.venue.postcode} is, so {plan.venue.name} "
                        "will not be found by people searching by distance. Check the postcode",
                    )
                )

    def _settle_row(self, row: RowPlan) -> None:
        activity = row.activity
        provider = row.provider_plan.provider
        venue = row.venue_plan.venue if row.venue_plan else None
        if row.is_new:
            venue_pk = venue.pk if venue else None
            same_name = (provider.pk, venue_pk, name_key(activity.name)) in self.existing_names
            if provider.pk and (venue is None or venue_pk) and same_name:
                where = f" at {venue.name}" if venue else ""
                self.warnings.append(
                    Problem(
                        row.number,
                        "activity_name",
                        f"{provider.name} already has an activity called '{activity.name}'"
                        f"{where}. Importing this row adds another. To change the one it has, "
                        "export your listings, edit that file and import it",
                    )
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
            self.problem(
                row.number,
                row.changes[0],
                "This activity comes from an OpenActive feed, so change it in the feed, or take "
                "this row out of the file",
            )


def plan_import(*, table: Table, user) -> Plan:
    """Check every row and work out what importing would add and change. Writes nothing."""
    return _Planner(table=table, user=user).plan()
