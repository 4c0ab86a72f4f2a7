"""Importing PHQ-9 and GAD-7 scores from a service's clinical record system.

    bytes --csv_reading / fhir_reading--> [MeasureRecord] --checking--> Checked --applying-->
                                                                                  measures

Reading turns a CSV export (iaptus, PCMIS, or any layout with a column mapping: layouts.py)
or a FHIR R4 QuestionnaireResponse / Bundle into one `MeasureRecord` per questionnaire, with
no database access. Checking matches each record to a service user of the one service by NHS
number and to the episode that covers its date, and lists every row error; it writes
nothing. Applying sends the valid records through `outcomes.services.measures_import` (the
one door every measure uses: same duplicate check, episode recompute, item-9 risk flag and
alerts), and refuses a file with errors unless asked to apply the valid rows only.
`jobs.py` keeps an upload between the pages and runs check and apply for the page and the
worker; the `import_measures` command runs the same steps in the foreground.
"""

from outcomes.measures_import import layouts
from outcomes.measures_import.csv_reading import Read, UnknownLayout, decode, read_csv
from outcomes.measures_import.fhir_reading import looks_like_json, read_fhir
from outcomes.measures_import.records import ImportFileError

NOT_A_KNOWN_TYPE = "The selected file must be a CSV or a FHIR JSON file"
_CSV_EXTENSIONS = (".csv", ".txt")


def read_upload(data: bytes, *, filename: str = "", mapping: dict[str, str] | None = None) -> Read:
    """Records from a CSV export or a FHIR JSON file, told apart by the name's extension (or,
    without one, by the first character). Raises ImportFileError, or UnknownLayout for a CSV
    whose columns need mapping."""
    name = filename.lower()
    suffix = name.rsplit(".", 1)[-1] if "." in name.rsplit("/", 1)[-1] else ""
    if suffix and f".{suffix}" not in (*_CSV_EXTENSIONS, ".json"):
        raise ImportFileError(NOT_A_KNOWN_TYPE)
    text = decode(data)
    if suffix == "json" or (not suffix and looks_like_json(text)):
        return read_fhir(text)
    return read_csv(text, mapping=mapping)


__all__ = [
    "NOT_A_KNOWN_TYPE",
    "ImportFileError",
    "Read",
    "UnknownLayout",
    "layouts",
    "read_csv",
    "read_fhir",
    "read_upload",
]
