"""What a file would do: the plan for each row, provider and venue, and the summary the
preview shows."""

from dataclasses import asdict, dataclass, field
from datetime import time

from providers.csv_io.columns import ACTIVITY_FIELDS, LABELS, format_slots
from providers.models import Activity, Provider, Venue
from talkingmoves.vocabulary.activities import DeliveryMode

SAMPLE_SIZE = 10


@dataclass
class Problem:
    row: int  # as a spreadsheet shows it: the column names are row 1
    column: str  # "" for the row as a whole
    message: str

    def __str__(self):
        where = f"Row {self.row}, {self.column}" if self.column else f"Row {self.row}"
        return f"{where}: {self.message}"


@dataclass
class Findings:
    """What checking a file finds: problems stop the import, warnings do not."""

    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def problem(self, row: int, column: str, message: str) -> None:
        self.problems.append(Problem(row, column, message))

    def warn(self, row: int, column: str, message: str) -> None:
        self.warnings.append(Problem(row, column, message))


@dataclass
class ProviderPlan:
    provider: Provider
    first_row: int
    is_new: bool
    given: dict[str, tuple[str, int]] = field(default_factory=dict)  # field -> (value, row)
    present: set[str] = field(default_factory=set)  # fields whose column the file has
    changes: list[str] = field(default_factory=list)  # columns

    @property
    def listing(self):
        return self.provider


@dataclass
class VenuePlan:
    venue: Venue
    provider_plan: ProviderPlan
    first_row: int
    is_new: bool
    given: dict[str, tuple[str, int]] = field(default_factory=dict)
    present: set[str] = field(default_factory=set)
    changes: list[str] = field(default_factory=list)

    @property
    def listing(self):
        return self.venue


@dataclass
class RowPlan:
    number: int
    activity: Activity  # an existing activity with the row's values set, or a new one
    before: dict | None  # the existing activity as it was, None for a new one
    provider_plan: ProviderPlan
    venue_plan: VenuePlan | None
    keep_venue: bool  # the file has no venue columns: an existing activity keeps its venue
    suitability: list[str] | None  # None: the file does not say, leave it as it is
    accessibility: list[str] | None
    weekly_slots: list[tuple[int, time, time]] | None
    changes: list[str] = field(default_factory=list)  # columns

    @property
    def is_new(self) -> bool:
        return self.before is None


@dataclass
class Plan:
    row_count: int
    rows: list[RowPlan]  # the rows with no problems
    providers: list[ProviderPlan]
    venues: list[VenuePlan]
    problems: list[Problem]
    warnings: list[Problem]  # worth a look, but they do not stop the import

    def summary(self, *, ignored_columns=()) -> dict:
        """What the preview shows, as JSON-friendly values."""
        problem_rows = {problem.row for problem in self.problems}
        rows = [row for row in self.rows if row.number not in problem_rows]
        return {
            "counts": {
                "rows": self.row_count,
                "new": sum(1 for row in rows if row.is_new),
                "changed": sum(1 for row in rows if not row.is_new and row.changes),
                "unchanged": sum(1 for row in rows if not row.is_new and not row.changes),
                "problem_rows": len(problem_rows),
                "problems": len(self.problems),
                "new_providers": sum(1 for p in self.providers if p.is_new),
                "changed_providers": sum(1 for p in self.providers if not p.is_new and p.changes),
                "new_venues": sum(1 for v in self.venues if v.is_new),
                "changed_venues": sum(1 for v in self.venues if not v.is_new and v.changes),
            },
            "problems": [asdict(problem) for problem in self.problems],
            "warnings": [asdict(warning) for warning in self.warnings],
            "sample": [_sample(row) for row in rows if row.is_new or row.changes][:SAMPLE_SIZE],
            "ignored_columns": list(ignored_columns),
        }


def _sample(row: RowPlan) -> dict:
    activity = row.activity
    venue = row.venue_plan.venue if row.venue_plan else None
    if row.keep_venue:
        venue = activity.venue
    slots = (
        row.weekly_slots
        if row.weekly_slots is not None
        else (row.before or {}).get("weekly_times", [])
    )
    return {
        "row": row.number,
        "is_new": row.is_new,
        "changes": [LABELS[column] for column in row.changes],
        "activity": activity.name,
        "activity_type": activity.activity_type.label,
        "provider": row.provider_plan.provider.name,
        "venue": ", ".join(filter(None, [venue.name, venue.postcode]))
        if venue
        else DeliveryMode.ONLINE.label,
        "weekly_times": format_slots(slots),
    }


def activity_state(activity: Activity, *, with_tags: bool = True) -> dict:
    """What the CSV can change about an activity, by column, to tell what a row changes."""
    state = {column: getattr(activity, name) for column, (name, _) in ACTIVITY_FIELDS.items()}
    state["activity_type"] = activity.activity_type_id
    state["external_id"] = activity.external_id
    if with_tags:
        state["suitable_for"] = {tag.tag for tag in activity.suitability.all()}
        state["accessibility"] = {item.feature for item in activity.accessibility.all()}
        state["weekly_times"] = {
            (slot.weekday, slot.start_time, slot.end_time) for slot in activity.weekly_slots.all()
        }
    return state
