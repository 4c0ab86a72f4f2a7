"""The caseload a page at a time, reading only the page's people.

The caseload puts people with an open risk flag (or an open task) first, then everyone by
name. Sorted by those flags in one statement, PostgreSQL tests every person of the service
for them and plans the rows' own columns as hashes over the whole referral history: a lead's
whole-service caseload read 100,000 people and 300,000 referrals to show 25. Here the
flagged people come from the flag and task tables (a few), the rest from the name index
(serviceuser_service_by_name), and only the page's people get the row columns: the ids are
read from the people filtered but not annotated, so the ten row subqueries are built and
compiled once, for the page.
"""

from collections.abc import Callable

from django.db.models import QuerySet

from referrals.records.caseload_row_query import caseload_rows
from referrals.records.people_counts import service_people_count
from referrals.records.selectors import (
    CASELOAD_NAME_ORDER,
    caseload_first_conditions,
    caseload_people,
)


def caseload_pages(user, *, clinician=None, show: str = "", q: str = "") -> "CaseloadPages":
    """The caseload (selectors.caseload) a page at a time. The whole service, unfiltered,
    is counted from the count the database keeps (count_models.py), not by reading everyone."""
    people = caseload_people(user, clinician=clinician, show=show, q=q)
    whole_service = clinician is None and not show and not q and not people.query.is_empty()
    count = service_people_count(user.organisation_id) if whole_service else None
    return CaseloadPages(people, rows=lambda ids: caseload_rows(user, ids), count=count)


class CaseloadPages:
    """A caseload as Django's Paginator takes it: count() and slices, in the order of
    selectors.caseload. `people` are the caseload's people, filtered (caseload_people);
    `rows` gives the rows for a page's ids, in that order (caseload_rows)."""

    def __init__(
        self,
        people: QuerySet,
        *,
        rows: Callable[[list[int]], list],
        count: int | None = None,
    ):
        self._people = people
        self._rows = rows
        self._count = count
        self._flagged = None

    def count(self) -> int:
        if self._count is None:
            self._count = self._people.order_by().count()
        return self._count

    def flagged_ids(self) -> list[int]:
        """Everyone who comes before the name order, in the caseload's order."""
        if self._flagged is None:
            # A UNION of one condition each: a top-level EXISTS is a join PostgreSQL can
            # start from the few open flags or tasks; under an OR it tests every person.
            conditions = list(caseload_first_conditions().values())
            first, *others = (
                self._people.filter(condition).order_by().values_list("pk", flat=True)
                for condition in conditions
            )
            found = set(first.union(*others))
            in_order = self._people.filter(pk__in=found).order_by(
                *(condition.desc() for condition in conditions), *CASELOAD_NAME_ORDER
            )
            self._flagged = list(in_order.values_list("pk", flat=True)) if found else []
        return self._flagged

    def __getitem__(self, window: slice) -> list:
        start, stop = window.start or 0, window.stop
        flagged = self.flagged_ids()
        ids = flagged[start:stop]
        wanted = stop - start - len(ids)
        if wanted > 0:
            offset = max(0, start - len(flagged))
            rest = self._people.exclude(pk__in=flagged).order_by(*CASELOAD_NAME_ORDER)
            ids += rest.values_list("pk", flat=True)[offset : offset + wanted]
        return self._rows(ids) if ids else []
