"""Bulk import and export of listings as a spreadsheet (CSV): one row for each activity.

An upload goes:

    bytes --read_table--> Table --plan_import--> Plan --(check job)--> import_table
           reading.py               planning.py                       importing.py
                                    existing.py, matching.py,         (import job)
                                    checks.py, settling.py, plans.py

`read_table` rejects a file that cannot be used at all (encoding, missing columns, size)
while the upload page waits. The rest runs in workers as two jobs (providers/jobs.py,
ADR 008), the file's text in the job's row: the check job runs `plan_import`, which checks
every row, matches it to the providers, venues and activities the user may change, and
works out what importing would add and change, writing nothing; the job page shows that.
The import job (started once, from the check's page) plans the file again and saves it with
bulk queries (`import_table`) in the job's one transaction: all of it, or, if the person
chose, every row without problems.

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
from providers.csv_io.importing import ImportFailed, import_table
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
    "escape_cell",
    "export_csv",
    "export_row",
    "import_table",
    "plan_import",
    "read_table",
    "table_from_text",
    "template_csv",
    "unescape_cell",
    "write_csv",
]
