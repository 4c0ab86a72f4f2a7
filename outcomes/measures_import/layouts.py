"""The column layouts of the clinical record systems' CSV exports, in one place.

Each layout maps our field names to the file's column names. Names are compared ignoring
case, spaces, underscores and dashes, so "PHQ9 Q1", "phq9_q1" and "PHQ9-Q1" are the same.
docs/measures-import.md lists them for services; a file in any other layout is read with a
column mapping the user gives (the upload page's mapping step, or the command's --map).
"""

import re

NHS_NUMBER = "nhs_number"
TAKEN_ON = "taken_on"
PHQ9_ITEMS = [f"phq9_{n}" for n in range(1, 10)]
GAD7_ITEMS = [f"gad7_{n}" for n in range(1, 8)]
PHQ9_TOTAL = "phq9_total"
GAD7_TOTAL = "gad7_total"
MEASURE_FIELDS = [*PHQ9_ITEMS, PHQ9_TOTAL, *GAD7_ITEMS, GAD7_TOTAL]
FIELDS = [NHS_NUMBER, TAKEN_ON, *MEASURE_FIELDS]

FIELD_LABELS = {
    NHS_NUMBER: "NHS number",
    TAKEN_ON: "Date completed",
    **{f"phq9_{n}": f"PHQ-9 question {n}" for n in range(1, 10)},
    PHQ9_TOTAL: "PHQ-9 total",
    **{f"gad7_{n}": f"GAD-7 question {n}" for n in range(1, 8)},
    GAD7_TOTAL: "GAD-7 total",
}

# iaptus (Mayden) "Questionnaire scores" report export, one row per contact.
IAPTUS = {
    NHS_NUMBER: "NHS Number",
    TAKEN_ON: "Appointment Date",
    **{f"phq9_{n}": f"PHQ9 Q{n}" for n in range(1, 10)},
    PHQ9_TOTAL: "PHQ9 Total",
    **{f"gad7_{n}": f"GAD7 Q{n}" for n in range(1, 8)},
    GAD7_TOTAL: "GAD7 Total",
}

# PCMIS (University of York) measures extract, one row per session.
PCMIS = {
    NHS_NUMBER: "NHSNumber",
    TAKEN_ON: "SessionDate",
    **{f"phq9_{n}": f"PHQ9_Item{n}" for n in range(1, 10)},
    PHQ9_TOTAL: "PHQ9_Score",
    **{f"gad7_{n}": f"GAD7_Item{n}" for n in range(1, 8)},
    GAD7_TOTAL: "GAD7_Score",
}

LAYOUTS: dict[str, dict[str, str]] = {"iaptus": IAPTUS, "pcmis": PCMIS}
LAYOUT_NAMES = {"iaptus": "iaptus", "pcmis": "PCMIS", "mapped": "your column mapping"}


def header_key(name: str) -> str:
    return re.sub(r"[\s_\-]+", "", name.strip().lower())


def detect_layout(headers: list[str]) -> str | None:
    """The known layout whose NHS number and date columns, and at least one score column,
    the file has; None when none fits."""
    keys = {header_key(h) for h in headers}
    for name, columns in LAYOUTS.items():
        needed = {header_key(columns[NHS_NUMBER]), header_key(columns[TAKEN_ON])}
        scores = {header_key(columns[f]) for f in MEASURE_FIELDS}
        if needed <= keys and scores & keys:
            return name
    return None


def mapping_problems(mapping: dict[str, str], headers: list[str]) -> dict[str, str]:
    """Field -> message for a mapping that cannot be used with these headers."""
    problems = {}
    keys = {header_key(h) for h in headers}
    for required in (NHS_NUMBER, TAKEN_ON):
        if not mapping.get(required):
            problems[required] = f"Choose the column that holds the {FIELD_LABELS[required]}"
    if not any(mapping.get(f) for f in MEASURE_FIELDS):
        problems[PHQ9_ITEMS[0]] = "Choose the columns that hold the PHQ-9 or GAD-7 answers"
    for name, column in mapping.items():
        if name not in FIELDS:
            problems[name] = f"{name} is not a field this import reads"
        elif column and header_key(column) not in keys:
            problems[name] = f"The file has no column called {column}"
    return problems
