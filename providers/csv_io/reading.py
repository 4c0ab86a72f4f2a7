"""From uploaded bytes to rows of cells, refusing a file that cannot be used at all."""

import csv
import io
import re
from dataclasses import dataclass, field

from providers.csv_io.columns import COLUMN_NAMES, MAX_BYTES, MAX_ROWS, REQUIRED_COLUMNS

ENCODING_MESSAGE = "The file must be saved as CSV UTF-8 (in Excel: File > Save As > CSV UTF-8)"
NOT_CSV_MESSAGE = "The selected file must be a CSV (in Excel: File > Save As > CSV UTF-8)"
TOO_BIG_MESSAGE = "The selected file must be smaller than 5MB"
# Cells starting with these are run as formulas by spreadsheet programs (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_OTHER_FORMATS = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"%PDF")  # xlsx/ods, xls, pdf
_OTHER_EXTENSIONS = (".xlsx", ".xls", ".ods", ".numbers", ".pdf", ".doc", ".docx")


class CsvFileError(ValueError):
    """The file as a whole cannot be used; the message is fit to show."""


@dataclass
class Table:
    columns: list[str]  # the recognised columns, in the file's order
    rows: list[tuple[int, dict[str, str]]]  # (row number as a spreadsheet shows it, cells)
    ignored_columns: list[str]
    text: str  # the decoded file, kept so the import can read it again
    long_rows: list[int] = field(default_factory=list)  # rows with cells past the last column


def escape_cell(value: str) -> str:
    """Stop a spreadsheet program running a cell as a formula."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def unescape_cell(value: str) -> str:
    """Undo escape_cell, so an exported file imports back unchanged."""
    if value[:1] == "'" and value[1:2] and value[1:2] in FORMULA_STARTS:
        return value[1:]
    return value


def read_table(*, data: bytes, filename: str = "") -> Table:
    """Decode and split an uploaded file. Raises CsvFileError for a file that cannot be used."""
    if len(data) > MAX_BYTES:
        raise CsvFileError(TOO_BIG_MESSAGE)
    if not data.strip():
        raise CsvFileError("The selected file is empty")
    if data.startswith(_OTHER_FORMATS) or filename.lower().endswith(_OTHER_EXTENSIONS):
        raise CsvFileError(NOT_CSV_MESSAGE)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CsvFileError(ENCODING_MESSAGE) from None
    if "\x00" in text:  # UTF-16 without a byte order mark decodes, with NULs between letters
        raise CsvFileError(ENCODING_MESSAGE)
    if not text.strip():
        raise CsvFileError("The selected file is empty")
    return table_from_text(text)


def _header_name(raw: str) -> str:
    return re.sub(r"[\s-]+", "_", raw.strip().lower())


def _and_list(items) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def table_from_text(text: str) -> Table:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        raw_header = next(reader)
    except (csv.Error, StopIteration):
        raise CsvFileError(NOT_CSV_MESSAGE) from None
    if len(raw_header) == 1 and (";" in raw_header[0] or "\t" in raw_header[0]):
        raise CsvFileError(
            "The columns must be separated by commas. Save the file as CSV UTF-8 (comma delimited)"
        )
    header = [_header_name(name) for name in raw_header]
    known = [name for name in header if name in COLUMN_NAMES]
    if not known:
        raise CsvFileError(
            "The first row must be the column names from the template, like provider_name "
            "and activity_name"
        )
    repeated = sorted({name for name in known if known.count(name) > 1})
    if repeated:
        raise CsvFileError(
            f"The file has more than one {_and_list(repeated)} column. Each column can only "
            "appear once"
        )
    missing = [name for name in REQUIRED_COLUMNS if name not in known]
    if missing:
        raise CsvFileError(
            f"The file is missing {'these columns' if len(missing) > 1 else 'this column'}: "
            f"{', '.join(missing)}. Download the template to see the columns it needs"
        )
    positions = [(index, name) for index, name in enumerate(header) if name in COLUMN_NAMES]
    rows, long_rows, count, number = [], [], 0, 1
    try:
        for number, record in enumerate(reader, start=2):
            if not any(cell.strip() for cell in record):
                continue  # spreadsheets often save empty rows at the end
            count += 1
            if count > MAX_ROWS:
                continue  # keep counting, to say how many there are
            rows.append(
                (
                    number,
                    {
                        name: unescape_cell(record[index].strip()) if index < len(record) else ""
                        for index, name in positions
                    },
                )
            )
            if any(cell.strip() for cell in record[len(header) :]):
                long_rows.append(number)
    except csv.Error as error:
        raise CsvFileError(f"Row {number + 1} could not be read as CSV: {error}") from None
    if count > MAX_ROWS:
        raise CsvFileError(
            f"The file must have {MAX_ROWS:,} activities or fewer. It has {count:,}: split it "
            "into smaller files"
        )
    if not rows:
        raise CsvFileError(
            "The file has no activities in it. Add a row for each activity under the column names"
        )
    return Table(
        columns=[name for _, name in positions],
        rows=rows,
        ignored_columns=[
            raw.strip()
            for raw, name in zip(raw_header, header, strict=True)
            if name not in COLUMN_NAMES and raw.strip()
        ],
        text=text,
        long_rows=long_rows,
    )
