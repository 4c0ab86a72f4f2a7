"""The caseload page's rows: its people's columns, read in one statement compiled once.

The statement has a dozen correlated subqueries (the latest referral and screening, open
tasks, the last event, each higher app's flags); building and compiling it was most of the
page's Python, five times what PostgreSQL took to answer it. It is compiled once per
process and role (talkingmoves/core/compiled_query.py), with the service, the page's ids and
the no-show cutoff as its values, and scoped by the same rule as every read of people
(referrals/scopes.py), through a stand-in user of the viewer's role and service (the scope
reads nothing else of the user).
"""

from datetime import datetime

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone

from referrals.models import ServiceUser
from referrals.records.selectors import (
    NO_ATTENDANCE_AFTER,
    attention_flags,
    caseload_columns,
    row_needs_attention,
)
from referrals.validators import format_nhs_number
from talkingmoves.accounts.scoping import visible_to
from talkingmoves.core.compiled_query import CompiledValues, a_moment, an_id, ids_for_any_of
from talkingmoves.core.expressions import AnyOf

# What a row shows of the person and their clinician.
ROW_FIELDS = (
    "pk",
    "public_id",
    "given_name",
    "family_name",
    "nhs_number",
    "assigned_clinician__full_name",
    "assigned_clinician__email",
)


class CaseloadPerson:
    """One row's person: ROW_FIELDS and the caseload's columns as attributes, with the
    names a ServiceUser gives them (full_name, nhs_number_display, assigned_clinician)."""

    pk: int
    given_name: str
    family_name: str
    nhs_number: str
    needs_attention: bool

    def __init__(self, row: dict):
        self.__dict__.update(row)
        # The clinician as str(User) gives them: their name, else their email.
        self.assigned_clinician = (
            row["assigned_clinician__full_name"] or row["assigned_clinician__email"] or None
        )

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    @property
    def nhs_number_display(self) -> str:
        return format_nhs_number(self.nhs_number)


def _rows_query(role, *, service_id, ids, no_show_cutoff: datetime) -> QuerySet:
    viewer = get_user_model()(role=role, organisation_id=service_id)
    people = visible_to(viewer, ServiceUser).filter(AnyOf("pk", ids))
    return people.values(*ROW_FIELDS, **caseload_columns(no_show_cutoff))


ROWS = CompiledValues(
    _rows_query, service_id=an_id(), ids=ids_for_any_of(), no_show_cutoff=a_moment()
)


def caseload_rows(user, ids: list[int]) -> list[CaseloadPerson]:
    """The caseload's rows for these ids (already the user's to see), in this order."""
    if not ids:
        return []
    cutoff = timezone.now() - NO_ATTENDANCE_AFTER
    rows = ROWS.rows(user.role, service_id=user.organisation_id, ids=ids, no_show_cutoff=cutoff)
    flags = attention_flags()
    by_pk = {}
    for row in rows:
        person = by_pk[row["pk"]] = CaseloadPerson(row)
        person.needs_attention = row_needs_attention(person, flags)
    return [by_pk[pk] for pk in ids if pk in by_pk]
