"""An uploaded file between its check and its apply, for the upload page and its worker.

`measure_import_start` reads the file and keeps its records (or, for a CSV in an unknown
layout, the text until the columns are chosen); `measure_import_check` checks them and keeps
the report; `measure_import_apply` claims a checked import with a conditional UPDATE (a
double submit applies once), applies it and clears the records.
"""

from django.db import transaction
from django.utils import timezone

from outcomes.measures_import import read_upload
from outcomes.measures_import.applying import records_import
from outcomes.measures_import.checking import check_records
from outcomes.measures_import.csv_reading import Read, UnknownLayout, read_csv
from outcomes.measures_import.records import MeasureRecord, RowError
from outcomes.models import MeasureImport
from talkingmoves.accounts.permissions import Action, require

State = MeasureImport.State
ERRORS_KEPT = 1000  # enough to fix a file by; the count says how many there were


def _errors_json(errors) -> list[dict]:
    return [error.to_json() for error in errors[:ERRORS_KEPT]]


def _keep_read(upload: MeasureImport, read: Read) -> None:
    upload.layout = read.layout
    upload.records = [record.to_json() for record in read.records]
    upload.read_errors = [error.to_json() for error in read.errors]
    upload.text, upload.headers = "", []
    upload.state = State.CHECKING


def measure_import_start(*, service, by, filename: str, data: bytes) -> MeasureImport:
    """Read an uploaded file. Raises ImportFileError for a file that cannot be used."""
    require(by, Action.IMPORT_MEASURES, service)
    upload = MeasureImport(service=service, created_by=by, filename=filename[:255])
    try:
        _keep_read(upload, read_upload(data, filename=filename))
    except UnknownLayout as unknown:
        upload.state = State.NEEDS_MAPPING
        upload.text = data.decode("utf-8-sig")
        upload.headers = unknown.headers
    upload.full_clean()
    upload.save()
    return upload


def measure_import_map_columns(*, upload: MeasureImport, mapping: dict[str, str]) -> MeasureImport:
    """Read the kept text again with the user's column mapping. Raises ImportFileError."""
    if upload.state != State.NEEDS_MAPPING:
        return upload
    _keep_read(upload, read_csv(upload.text, mapping=mapping))
    upload.save()
    return upload


def _records(upload: MeasureImport) -> tuple[list[MeasureRecord], list[RowError]]:
    return (
        [MeasureRecord.from_json(r) for r in upload.records],
        [RowError(**e) for e in upload.read_errors],
    )


def measure_import_check(*, upload: MeasureImport) -> MeasureImport:
    records, found = _records(upload)
    checked = check_records(records, service=upload.service, found=found)
    upload.report = {
        "questionnaires": len(records) + len({e.row for e in found}),
        "valid": len(checked.valid),
        "rows_with_errors": checked.rows_with_errors,
        "error_count": len(checked.errors),
        "errors": _errors_json(checked.errors),
    }
    upload.state = State.CHECKED
    upload.save(update_fields=["report", "state"])
    return upload


def measure_import_claim(*, upload: MeasureImport, apply_valid_rows: bool) -> bool:
    """Mark a checked import as being applied; False when it already is (a double submit)."""
    claimed = MeasureImport.objects.filter(pk=upload.pk, state=State.CHECKED).update(
        state=State.APPLYING, apply_valid_rows=apply_valid_rows
    )
    return claimed == 1


def measure_import_apply(*, upload: MeasureImport, by, path: str = "") -> MeasureImport:
    """Apply a claimed import as `by`, keeping its progress for the page. The records are
    checked again first: the record may have changed since the preview."""
    upload.refresh_from_db()
    records, found = _records(upload)
    upload.progress_total = len(records)

    def progress(done: int, total: int) -> None:
        MeasureImport.objects.filter(pk=upload.pk).update(progress_done=done, progress_total=total)

    checked, applied = records_import(
        records,
        service=upload.service,
        by=by,
        found=found,
        apply_valid_rows=upload.apply_valid_rows,
        path=path,
        progress=progress,
    )
    with transaction.atomic():
        upload.refresh_from_db()
        upload.result = {
            "measures": applied.measures,
            "risk_flags": applied.risk_flags,
            "refused": applied.refused,
            "error_count": len(applied.errors),
            "errors": _errors_json(applied.errors),
        }
        if applied.refused:
            # Something changed since the check: show the new errors, ready to choose again.
            upload.report = {**upload.report, "errors": _errors_json(applied.errors)}
            upload.report["error_count"] = len(applied.errors)
            upload.report["valid"] = len(checked.valid)
            upload.state = State.CHECKED
        else:
            upload.state = State.APPLIED
            upload.records, upload.read_errors = [], []
            upload.applied_at = timezone.now()
        upload.save()
    return upload
