"""Bulk import and export of listings as a spreadsheet (CSV): one row for each activity.

An upload goes:

    bytes --read_table--> Table --plan_import--> Plan --(preview)--> upload_import
           reading.py               planning.py                       importing.py
                                    existing.py, matching.py,
                                    checks.py, settling.py, plans.py

`read_table` rejects a file that cannot be used at all (encoding, missing columns, size).
`plan_import` checks every row, matches it to the providers, venues and activities the user
may change, and works out what importing would add and change, writing nothing. The preview
shows that; `upload_import` plans the file again inside one transaction and saves it through
`providers.services`, so it is all or nothing. Between the preview and the import the upload
waits as a JSON file under DATA_DIR (no model needed); the import claims it by renaming the
file, which is what stops a double submit from importing twice.

The export (`export_csv`) writes exactly the import format, so export, edit, import changes
only what was edited. columns.py says what each column holds and how a cell is read.
"""

from providers.csv_io.checks import MIRRORED_CONSTRAINTS
from providers.csv_io.columns import (
    COLUMN_NAMES,
    COLUMNS,
    LABELS,
    MAX_BYTES,
    MAX_ROWS,
    REQUIRED_COLUMNS,
)
from providers.csv_io.exporting import export_csv, export_row, template_csv, write_csv
from providers.csv_io.importing import (
    ImportFailed,
    Upload,
    UploadState,
    import_table,
    upload_get,
    upload_import,
    upload_prepare,
)
from providers.csv_io.planning import plan_import
from providers.csv_io.plans import Plan, Problem
from providers.csv_io.reading import (
    ENCODING_MESSAGE,
    TOO_BIG_MESSAGE,
    CsvFileError,
    Table,
    escape_cell,
    read_table,
    table_from_text,
    unescape_cell,
)

__all__ = [
    "COLUMNS",
    "COLUMN_NAMES",
    "ENCODING_MESSAGE",
    "LABELS",
    "MAX_BYTES",
    "MAX_ROWS",
    "MIRRORED_CONSTRAINTS",
    "REQUIRED_COLUMNS",
    "TOO_BIG_MESSAGE",
    "CsvFileError",
    "ImportFailed",
    "Plan",
    "Problem",
    "Table",
    "Upload",
    "UploadState",
    "escape_cell",
    "export_csv",
    "export_row",
    "import_table",
    "plan_import",
    "read_table",
    "table_from_text",
    "template_csv",
    "unescape_cell",
    "upload_get",
    "upload_import",
    "upload_prepare",
    "write_csv",
]
