"""Model rules for a row: field checks through full_clean, and the check constraints.

Validating a check constraint through the database costs a query (and a savepoint) each, per
row; MIRRORED_CONSTRAINTS lists those the planner applies itself, with a message naming the
column to change. Any constraint not listed is still validated the usual way, so one added to
a model later is never skipped.
"""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Model

from providers.csv_io.columns import ACTIVITY_FIELDS, LABELS, PROVIDER_FIELDS, VENUE_FIELDS
from providers.models import Activity, Provider, Venue, WeeklySlot

# Check constraints the planner applies itself (with a message naming the column), or that a
# CSV row cannot break. Any other constraint on these models is validated through the database.
MIRRORED_CONSTRAINTS = {
    Provider: {"provider_has_partnership_or_organisation"},  # a new provider gets an owner
    Venue: {"venue_coordinates_valid"},  # coordinates come from the postcode table
    Activity: {
        "activity_price_not_negative",  # read_price
        "activity_free_has_no_price",
        "activity_referrals_have_a_route",
        "activity_in_person_has_venue",
        "activity_capacity_positive",  # _whole_number
        "activity_group_size_positive",
    },
    WeeklySlot: {"slot_end_after_start", "slot_weekday_valid"},  # parse_weekly_times
}
# Relations are checked here (or set by the services); clean_fields would query for each.
NOT_CLEANED = frozenset(
    {
        "id",
        "public_id",
        "provider",
        "venue",
        "activity_type",
        "partnership",
        "organisation",
        "feed",
        "last_verified_by",
        "activity",
    }
)
_FIELD_COLUMNS = {
    Provider: {"name": "provider_name", **{f: c for c, f in PROVIDER_FIELDS.items()}},
    Venue: {"name": "venue_name", "postcode": "postcode"} | {f: c for c, f in VENUE_FIELDS.items()},
    Activity: {
        **{f: c for c, (f, _) in ACTIVITY_FIELDS.items()},
        "activity_type": "activity_type",
        "external_id": "external_id",
    },
}
_URL_FIELDS = {"website", "online_url"}
_EMAIL_FIELDS = {"email", "referral_email"}


def error_messages(error: ValidationError, model, label: str) -> list[tuple[str, str]]:
    """(column, message) for each error from full_clean, in NHS.UK style."""
    found = []
    for name, errors in error.error_dict.items():
        column = "" if name == NON_FIELD_ERRORS else _FIELD_COLUMNS[model].get(name, name)
        column_label = LABELS.get(column, label)
        for item in errors:
            if item.code == "max_length":
                limit = item.params["limit_value"]
                message = f"{column_label} must be {limit} characters or fewer"
            elif item.code == "invalid" and name in _URL_FIELDS:
                message = "Enter a web address, like https://www.example.org.uk"
            elif item.code == "invalid" and name in _EMAIL_FIELDS:
                message = "Enter an email address in the correct format, like name@example.org.uk"
            elif item.code in ("blank", "null"):
                message = f"Enter the {column_label.lower()}"
            else:
                message = " ".join(item.messages)
            found.append((column, message))
    return found


def other_constraint_messages(instance: Model, exclude) -> list[str]:
    mirrored = MIRRORED_CONSTRAINTS.get(type(instance), set())
    messages = []
    for constraint in instance._meta.constraints:
        if constraint.name in mirrored:
            continue
        try:
            constraint.validate(type(instance), instance, exclude=set(exclude))
        except ValidationError as error:
            messages.extend(error.messages)
    return messages
