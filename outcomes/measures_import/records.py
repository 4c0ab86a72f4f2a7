"""What reading produces and checking reports: plain values, no models."""

from dataclasses import dataclass, field
from datetime import date

from outcomes.models import Measure

PHQ9: str = Measure.Kind.PHQ9.value
GAD7: str = Measure.Kind.GAD7.value
ITEM_COUNTS: dict[str, int] = {PHQ9: 9, GAD7: 7}
NAMES: dict[str, str] = {PHQ9: "PHQ-9", GAD7: "GAD-7"}


class ImportFileError(ValueError):
    """The file as a whole cannot be read; the message is fit to show."""


@dataclass
class MeasureRecord:
    """One questionnaire as the file states it. `row` is where a person finds it again: the
    spreadsheet row (column names are row 1) or the FHIR resource's position and id."""

    row: str
    kind: str
    nhs_number: str
    taken_on: str  # as written; checking parses it
    items: list[str]  # as written, one per question ("" when blank)
    stated_total: str = ""

    def to_json(self) -> dict:
        return {
            "row": self.row,
            "kind": self.kind,
            "nhs_number": self.nhs_number,
            "taken_on": self.taken_on,
            "items": self.items,
            "stated_total": self.stated_total,
        }

    @classmethod
    def from_json(cls, data: dict) -> "MeasureRecord":
        return cls(**data)


@dataclass(frozen=True)
class RowError:
    row: str
    measure: str  # "PHQ-9", "GAD-7" or "" for the row as a whole
    message: str

    def __str__(self) -> str:
        where = f"Row {self.row}" if self.row[:1].isdigit() else self.row.capitalize()
        what = f", {self.measure}" if self.measure else ""
        return f"{where}{what}: {self.message}"

    def to_json(self) -> dict:
        return {"row": self.row, "measure": self.measure, "message": self.message}


@dataclass
class ValidRecord:
    """A record that passed every check, matched to its episode."""

    record: MeasureRecord
    episode_id: int
    taken_on: date
    answers: list[int]


@dataclass
class Checked:
    valid: list[ValidRecord] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def rows_with_errors(self) -> int:
        return len({error.row for error in self.errors})


@dataclass
class Applied:
    measures: int = 0
    risk_flags: int = 0
    errors: list[RowError] = field(default_factory=list)
    refused: bool = False  # nothing applied: the file has errors and valid rows were not chosen
