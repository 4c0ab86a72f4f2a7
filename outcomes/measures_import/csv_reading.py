"""CSV exports: from uploaded bytes to one record per questionnaire on each row."""

import csv
import io
from dataclasses import dataclass, field

from outcomes.measures_import import layouts
from outcomes.measures_import.records import (
    GAD7,
    PHQ9,
    ImportFileError,
    MeasureRecord,
    RowError,
)

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000
ENCODING_MESSAGE = "The file must be saved as CSV UTF-8 (in Excel: File > Save As > CSV UTF-8)"
NOT_CSV_MESSAGE = "The selected file must be a CSV or a FHIR JSON file"
_OTHER_FORMATS = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"%PDF")  # xlsx/ods, xls, pdf
_QUESTIONNAIRES = (
    (PHQ9, layouts.PHQ9_ITEMS, layouts.PHQ9_TOTAL),
    (GAD7, layouts.GAD7_ITEMS, layouts.GAD7_TOTAL),
)


class UnknownLayout(ImportFileError):
    """The columns are not a layout we know: the user maps them (layouts.mapping_problems)."""

    def __init__(self, headers: list[str]):
        super().__init__(
            "The columns are not an iaptus or PCMIS export. Choose which column holds what"
        )
        self.headers = headers


@dataclass
class Read:
    layout: str  # "iaptus", "pcmis", "mapped" or "fhir"
    records: list[MeasureRecord]
    errors: list[RowError] = field(default_factory=list)


def decode(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise ImportFileError("The selected file must be smaller than 10MB")
    if not data.strip():
        raise ImportFileError("The selected file is empty")
    if data.startswith(_OTHER_FORMATS):
        raise ImportFileError(NOT_CSV_MESSAGE)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(ENCODING_MESSAGE) from None
    if "\x00" in text:  # UTF-16 without a byte order mark
        raise ImportFileError(ENCODING_MESSAGE)
    return text


def csv_headers(text: str) -> list[str]:
    try:
        header = next(csv.reader(io.StringIO(text, newline="")))
    except (csv.Error, StopIteration):
        raise ImportFileError(NOT_CSV_MESSAGE) from None
    if len(header) == 1 and (";" in header[0] or "\t" in header[0]):
        raise ImportFileError("The columns must be separated by commas")
    return [h.strip() for h in header]


def read_csv(text: str, *, mapping: dict[str, str] | None = None) -> Read:
    """Records from a CSV in a known layout, or in any layout with `mapping` (field -> column).
    Raises UnknownLayout when neither applies."""
    headers = csv_headers(text)
    if mapping is None:
        layout = layouts.detect_layout(headers)
        if layout is None:
            raise UnknownLayout(headers)
        mapping = layouts.LAYOUTS[layout]
    else:
        layout = "mapped"
        problems = layouts.mapping_problems(mapping, headers)
        if problems:
            raise ImportFileError(next(iter(problems.values())))
    position = {layouts.header_key(h): i for i, h in enumerate(headers)}
    columns = {
        name: position[layouts.header_key(column)]
        for name, column in mapping.items()
        if column and layouts.header_key(column) in position
    }
    reader = csv.reader(io.StringIO(text, newline=""))
    next(reader)
    records: list[MeasureRecord] = []
    errors: list[RowError] = []
    count = 0
    try:
        for number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue  # spreadsheets often save empty rows at the end
            count += 1
            if count > MAX_ROWS:
                raise ImportFileError(f"The file must have {MAX_ROWS:,} rows or fewer")
            row = _row_records(str(number), cells, columns)
            if row:
                records.extend(row)
            else:
                errors.append(RowError(str(number), "", "Row has no PHQ-9 or GAD-7 answers"))
    except csv.Error as error:
        raise ImportFileError(f"A row could not be read as CSV: {error}") from None
    if count == 0:
        raise ImportFileError("The file has no rows under the column names")
    return Read(layout=layout, records=records, errors=errors)


def _row_records(number: str, cells: list[str], columns: dict[str, int]) -> list[MeasureRecord]:
    def cell(name: str) -> str:
        index = columns.get(name)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    records = []
    for kind, item_fields, total_field in _QUESTIONNAIRES:
        items = [cell(name) for name in item_fields]
        total = cell(total_field)
        if any(items) or total:
            records.append(
                MeasureRecord(
                    row=number,
                    kind=kind,
                    nhs_number=cell(layouts.NHS_NUMBER),
                    taken_on=cell(layouts.TAKEN_ON),
                    items=items,
                    stated_total=total,
                )
            )
    return records
