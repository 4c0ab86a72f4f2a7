"""An uploaded file from upload to applied, for the upload pages and their worker jobs.

In the request, `measure_import_start` refuses a file that cannot be used at all (type,
size, encoding, a CSV's columns) and keeps its text; a CSV in another layout waits for
`measure_import_map_columns`. In the worker (jobs.py), `measure_import_check` reads and
checks the records and keeps the report, and `measure_import_apply` applies them, once: it
claims the checked import with a conditional UPDATE, so a double submit applies nothing
twice. Once applied, the text and records (NHS numbers, answers) are cleared.
"""

from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone

from outcomes.measures_import import NOT_A_KNOWN_TYPE, layouts, read_upload
from outcomes.measures_import.applying import records_import
from outcomes.measures_import.checking import check_records
from outcomes.measures_import.csv_reading import csv_headers, decode
from outcomes.measures_import.fhir_reading import looks_like_json
from outcomes.measures_import.records import ImportFileError, MeasureRecord, RowError
from outcomes.models import MeasureImport
from talkingmoves.accounts.permissions import Action, require

State = MeasureImport.State
ERRORS_KEPT = 1000  # enough to fix a file by; the count says how many there were
Progress = Callable[[int, int], None]


def _errors_json(errors) -> list[dict]:
    return [error.to_json() for error in errors[:ERRORS_KEPT]]


def _file_kind(filename: str, text: str) -> str:
    suffix = filename.lower().rsplit(".", 1)[-1] if "." in filename else ""
    if suffix == "json" or (not suffix and looks_like_json(text)):
        return "fhir"
    if suffix in ("csv", "txt", ""):
        return "csv"
    raise ImportFileError(NOT_A_KNOWN_TYPE)


def measure_import_start(*, service, by, filename: str, data: bytes) -> MeasureImport:
    """Keep an uploaded file for checking. Raises ImportFileError for a file that cannot be
    used at all; a CSV in another layout is kept in NEEDS_MAPPING."""
    require(by, Action.IMPORT_MEASURES, service)
    _file_kind(filename, "")  # the type first: a spreadsheet is not worth decoding
    text = decode(data)
    upload = MeasureImport(service=service, created_by=by, filename=filename[:255], text=text)
    if _file_kind(filename, text) == "fhir":
        upload.layout = "fhir"
    else:
        upload.headers = csv_headers(text)
        upload.layout = layouts.detect_layout(upload.headers) or ""
        upload.state = State.CHECKING if upload.layout else State.NEEDS_MAPPING
    upload.full_clean()
    upload.save()
    return upload


def measure_import_map_columns(*, upload: MeasureImport, mapping: dict[str, str]) -> MeasureImport:
    """Keep the user's column mapping (checked against the file's columns by the form)."""
    problems = layouts.mapping_problems(mapping, upload.headers)
    if problems:
        raise ImportFileError(next(iter(problems.values())))
    if upload.state == State.NEEDS_MAPPING:
        upload.mapping, upload.layout, upload.state = mapping, "mapped", State.CHECKING
        upload.save(update_fields=["mapping", "layout", "state"])
    return upload


def measure_import_set_job(*, upload: MeasureImport, check_job=None, apply_job=None) -> None:
    if check_job is not None:
        upload.check_job_id = check_job.pk
    if apply_job is not None:
        upload.apply_job_id = apply_job.pk
    upload.save(update_fields=["check_job_id", "apply_job_id"])


def _records(upload: MeasureImport) -> tuple[list[MeasureRecord], list[RowError]]:
    return (
        [MeasureRecord.from_json(r) for r in upload.records],
        [RowError(**e) for e in upload.read_errors],
    )


def measure_import_check(*, upload: MeasureImport) -> MeasureImport:
    """Read the kept file and check every record, writing no measures."""
    if upload.state != State.CHECKING:
        return upload
    try:
        read = read_upload(
            upload.text.encode(),
            filename="file.json" if upload.layout == "fhir" else "file.csv",
            mapping=upload.mapping or None,
        )
    except ImportFileError as error:
        upload.state, upload.file_error, upload.text = State.FAILED, str(error), ""
        upload.save(update_fields=["state", "file_error", "text"])
        return upload
    checked = check_records(read.records, service=upload.service, found=read.errors)
    upload.records = [record.to_json() for record in read.records]
    upload.read_errors = [error.to_json() for error in read.errors]
    upload.report = {
        "valid": len(checked.valid),
        "rows_with_errors": checked.rows_with_errors,
        "error_count": len(checked.errors),
        "errors": _errors_json(checked.errors),
    }
    upload.text, upload.state = "", State.CHECKED
    upload.save()
    return upload


def measure_import_apply(
    *, upload: MeasureImport, by, apply_valid_rows: bool, path: str = "", progress=None
) -> MeasureImport | None:
    """Apply a checked import as `by`; None when it is not waiting to be applied (already
    applied: a double submit). The records are checked again first: the record may have
    changed since the check. A file with errors applies nothing unless `apply_valid_rows`."""
    claimed = MeasureImport.objects.filter(pk=upload.pk, state=State.CHECKED).update(
        state=State.APPLYING, apply_valid_rows=apply_valid_rows
    )
    if not claimed:
        return None
    upload.refresh_from_db()
    records, found = _records(upload)
    checked, applied = records_import(
        records,
        service=upload.service,
        by=by,
        found=found,
        apply_valid_rows=apply_valid_rows,
        path=path,
        progress=progress,
    )
    upload.result = {
        "measures": applied.measures,
        "risk_flags": applied.risk_flags,
        "refused": applied.refused,
        "error_count": len(applied.errors),
        "errors": _errors_json(applied.errors),
    }
    if applied.refused:
        # Something changed since the check: show the new errors, ready to choose again.
        upload.report = {
            "valid": len(checked.valid),
            "rows_with_errors": len({e.row for e in applied.errors}),
            "error_count": len(applied.errors),
            "errors": _errors_json(applied.errors),
        }
        upload.state = State.CHECKED
    else:
        upload.state = State.APPLIED
        upload.records, upload.read_errors = [], []
        upload.applied_at = timezone.now()
    upload.save()
    return upload


KEPT_UNAPPLIED = timedelta(days=7)
FORGOTTEN = "Not imported within 7 days, so the file was deleted. Upload it again to import it"


def measure_imports_forget_stale(*, now=None) -> int:
    """Delete the file and records of imports nobody applied within KEPT_UNAPPLIED: they hold
    NHS numbers and answers that are no use unapplied. Counts and row errors stay."""
    cutoff = (now or timezone.now()) - KEPT_UNAPPLIED
    return (
        MeasureImport.objects.filter(
            created_at__lt=cutoff,
            state__in=[State.NEEDS_MAPPING, State.CHECKING, State.CHECKED, State.FAILED],
        )
        .exclude(state=State.FAILED, text="", records=[])
        .update(
            state=State.FAILED,
            text="",
            records=[],
            read_errors=[],
            headers=[],
            file_error=FORGOTTEN,
        )
    )
