"""Where the upload page's check and apply run.

Until the job framework (talkingmoves/jobs) is in, both run in the request, for files up to
SYNC_MAX_QUESTIONNAIRES; larger files are refused with a pointer to the command.
"""

from outcomes.measures_import import upload_services
from outcomes.measures_import.records import ImportFileError
from outcomes.models import MeasureImport

SYNC_MAX_QUESTIONNAIRES = 2000
TOO_LARGE = (
    f"The file has more than {SYNC_MAX_QUESTIONNAIRES:,} questionnaires. Split it into "
    "smaller files, or ask your system administrator to use the import command"
)


def check_start(upload: MeasureImport) -> None:
    """Check a read upload. Raises ImportFileError (and forgets the upload) when too large."""
    if len(upload.records) > SYNC_MAX_QUESTIONNAIRES:
        upload.delete()
        raise ImportFileError(TOO_LARGE)
    upload_services.measure_import_check(upload=upload)


def apply_start(upload: MeasureImport, *, by, path: str) -> None:
    """Apply a claimed upload (upload_services.measure_import_claim)."""
    upload_services.measure_import_apply(upload=upload, by=by, path=path)
