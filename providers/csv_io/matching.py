"""Matching a row to the activity it changes (or none, for a new one), and to the provider and
venue it names, which are planned once for the whole file however many rows name them.

- an activity by activity_id (from an export), else by external_id among the user's
  spreadsheet-imported activities, else it is new;
- a provider by name among the user's providers (a partnership officer may add one; provider
  staff may not), and a venue by provider, name and postcode.
"""

import uuid

from django.core.exceptions import ValidationError

from providers import geography
from providers.csv_io.checks import error_messages
from providers.csv_io.columns import (
    PROVIDER_FIELDS,
    VENUE_COLUMNS,
    VENUE_FIELDS,
    name_key,
    read_web_address,
)
from providers.csv_io.existing import ExistingListings
from providers.csv_io.plans import Findings, ProviderPlan, VenuePlan
from providers.models import Activity, Provider, Source, Venue


def _and_list(names) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


class Matcher:
    def __init__(self, *, existing: ExistingListings, owner: dict | None, findings: Findings):
        self.existing = existing
        self.owner = owner  # who owns a new provider; None if the user may not add one
        self.findings = findings
        self.provider_plans: dict[tuple, ProviderPlan] = {}
        self.venue_plans: dict[tuple, VenuePlan] = {}
        self.seen_ids: dict[str, int] = {}
        self.seen_external_ids: dict[str, int] = {}

    def activity_for(self, number, cells) -> tuple[Activity | None, bool]:
        """The existing activity the row changes (None for a new one), and whether the row's
        ids made sense."""
        activity = None
        raw_id, external_id = cells.get("activity_id", ""), cells.get("external_id", "")
        if raw_id:
            try:
                public_id = uuid.UUID(raw_id)
            except ValueError:
                self.findings.problem(
                    number,
                    "activity_id",
                    f"'{raw_id}' is not an activity id from an export. Leave activity_id empty "
                    "for a new activity",
                )
                return None, False
            if str(public_id) in self.seen_ids:
                self.findings.problem(
                    number,
                    "activity_id",
                    f"Row {self.seen_ids[str(public_id)]} has the same activity_id. An activity "
                    "can only be in the file once",
                )
                return None, False
            self.seen_ids[str(public_id)] = number
            activity = self.existing.by_public_id.get(public_id)
            if activity is None:
                self.findings.problem(
                    number,
                    "activity_id",
                    f"'{raw_id}' is not one of your live activities. Leave activity_id empty to "
                    "add it as a new activity",
                )
                return None, False
        if not external_id:
            return activity, True
        if external_id in self.seen_external_ids:
            self.findings.problem(
                number,
                "external_id",
                f"Row {self.seen_external_ids[external_id]} has the same external_id. Give each "
                "activity its own external_id",
            )
            return activity, False
        self.seen_external_ids[external_id] = number
        matches = self.existing.by_external_id.get(external_id, [])
        if activity is None and len(matches) > 1:
            self.findings.problem(
                number,
                "external_id",
                f"'{external_id}' is the external_id of {len(matches)} of your activities. "
                "Export your listings and use that file: it says which activity is which",
            )
            return None, False
        if activity is None:
            return (matches[0] if matches else None), True
        if matches and matches[0].pk != activity.pk:
            self.findings.problem(
                number,
                "external_id",
                f"'{external_id}' is already the external_id of another of your activities, "
                f"'{matches[0].name}'",
            )
            return activity, False
        return activity, True

    def provider_for(self, number, cells, existing_activity) -> ProviderPlan | None:
        name = cells["provider_name"]
        wanted = name_key(name)
        current = self.existing.providers_by_pk.get(
            existing_activity and existing_activity.provider_id
        )
        if current and name_key(current.name) == wanted:
            provider = current  # when a name is used twice, keep the one the activity has
        else:
            provider = self.existing.providers_by_name.get(wanted)
        plan_key = ("pk", provider.pk) if provider else ("new", wanted)
        plan = self.provider_plans.get(plan_key)
        if plan is None:
            if provider is None and self.owner is None:
                names = sorted(p.name for p in self.existing.providers_by_pk.values())
                self.findings.problem(
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

    def venue_for(self, number, cells, provider_plan, existing_activity):
        """The row's venue plan (None for an online activity), and whether the venue's cells
        were readable."""
        values = {column: cells.get(column, "") for column in VENUE_COLUMNS}
        if not any(values.values()):
            return None, True
        name = values["venue_name"]
        if not name:
            self.findings.problem(
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
                    self.findings.problem(
                        number, "postcode", f"'{values['postcode']}' is not a postcode. {error}"
                    )
                    return None, False
        venue = None
        provider = provider_plan.provider
        if not provider_plan.is_new:
            named = (provider.pk, name_key(name), postcode)
            current = self.existing.venues_by_pk.get(
                existing_activity and existing_activity.venue_id
            )
            if (
                current
                and (current.provider_id, name_key(current.name)) == named[:2]
                and (postcode is None or current.postcode == postcode)
            ):
                venue = current  # when a name is used twice, keep the one the activity has
            else:
                venue = self.existing.venues_by_name.get(named)
        new_key = ("new", id(provider_plan), name_key(name), postcode)
        plan_key = ("pk", venue.pk) if venue else new_key
        plan = self.venue_plans.get(plan_key)
        if plan is None:
            if venue is None and not postcode:
                self.findings.problem(number, "postcode", "Enter the venue's postcode")
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
                self.findings.problem(number, column, message)
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
            self.findings.problem(
                number,
                column,
                f"'{value}' is not the same as row {row} ('{other}') for "
                f"{plan.listing.name}. Give the same details on every row, or leave them empty "
                "after the first",
            )
            return
        plan.given.setdefault(field_name, (value, number))
