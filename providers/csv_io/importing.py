"""Importing a checked file: all of it in one transaction, or none of it, and only once.

An upload waits for confirmation as a JSON file under DATA_DIR/csv-imports, named for its
token and state (ready, importing, imported). The import claims it by renaming ready to
importing: only one request can win the rename, so a double submit cannot import twice, and
the second request simply finds the upload being imported or imported.

Files hold directory listings only (no personal or clinical data) and are removed a day
after upload. Several web servers need DATA_DIR on shared storage.
"""

import json
import logging
import os
import time as clock
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone

from providers import services
from providers.csv_io.columns import COLUMN_NAMES
from providers.csv_io.planning import plan_import
from providers.csv_io.plans import RowPlan
from providers.csv_io.reading import CsvFileError, Table, table_from_text

logger = logging.getLogger(__name__)

UPLOADS_KEPT_FOR_SECONDS = 24 * 60 * 60


class ImportFailed(Exception):
    def __init__(self, message: str, *, summary: dict | None = None):
        super().__init__(message)
        self.message = message
        self.summary = summary  # the file's new preview, when rows now have problems


def import_table(*, table: Table, user) -> dict[str, int]:
    """Plan the file again and save all of it in one transaction, returning the counts.

    Raises ImportFailed, with nothing saved, if a row has a problem now (the directory may
    have changed since the preview) or cannot be saved.
    """
    row_number = 0
    try:
        with transaction.atomic():
            plan = plan_import(table=table, user=user)
            if plan.problems:
                raise ImportFailed(
                    "Nothing was imported. The directory has changed since the file was "
                    "checked, and some rows now have problems: they are listed below",
                    summary=plan.summary(ignored_columns=table.ignored_columns),
                )
            for provider_plan in plan.providers:
                if provider_plan.is_new or provider_plan.changes:
                    row_number = provider_plan.first_row
                    services.provider_save(provider=provider_plan.provider, by=user)
            for venue_plan in plan.venues:
                if venue_plan.is_new or venue_plan.changes:
                    row_number = venue_plan.first_row
                    # Only now does a new provider have a primary key to point at.
                    venue_plan.venue.provider = venue_plan.provider_plan.provider
                    services.venue_save(venue=venue_plan.venue, by=user)
            for row in plan.rows:
                if row.is_new or row.changes:
                    row_number = row.number
                    _save_row(row, user=user)
    except ValidationError as error:
        raise ImportFailed(
            f"Nothing was imported. Row {row_number} could not be saved: "
            f"{' '.join(error.messages)} Fix it in your spreadsheet and upload the file again"
        ) from error
    except DatabaseError as error:
        logger.exception("CSV import rolled back at row %s", row_number)
        raise ImportFailed(
            f"Nothing was imported. Row {row_number} could not be saved. Try again, and if it "
            "happens again, contact your TalkingMoves administrator"
        ) from error
    return plan.summary()["counts"]


def _save_row(row: RowPlan, *, user) -> None:
    activity = row.activity
    activity.provider = row.provider_plan.provider
    if not row.keep_venue:
        activity.venue = row.venue_plan.venue if row.venue_plan else None
    changed = set(COLUMN_NAMES) if row.is_new else set(row.changes)

    def part(column, values):
        # None leaves that part alone, which saves the services a query for each.
        if values is None or column not in changed or (row.is_new and not values):
            return None
        return values

    services.activity_save(
        activity=activity,
        suitability=part("suitable_for", row.suitability),
        accessibility=part("accessibility", row.accessibility),
        weekly_slots=part("weekly_times", row.weekly_slots),
        by=user,
    )


# --- Uploads waiting for confirmation --------------------------------------------------------


class UploadState:
    READY = "ready"
    IMPORTING = "importing"
    IMPORTED = "imported"


@dataclass
class Upload:
    token: str
    user_id: int
    filename: str
    created_at: str
    state: str
    summary: dict  # Plan.summary(): counts, problems, warnings, sample
    text: str = ""  # the file, until it is imported
    error: str = ""  # why the last import attempt failed
    result: dict | None = None  # the counts, once imported


def _uploads_dir() -> Path:
    path = Path(settings.DATA_DIR) / "csv-imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _path(token: str, state: str) -> Path:
    return _uploads_dir() / f"{uuid.UUID(str(token)).hex}.{state}.json"


def _write(upload: Upload) -> None:
    path = _path(upload.token, upload.state)
    partial = path.with_name(f"{path.name}.partial")
    partial.write_text(json.dumps(asdict(upload)), encoding="utf-8")
    os.replace(partial, path)


def _read(path: Path) -> Upload | None:
    try:
        return Upload(**json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return None


def _forget_old_uploads() -> None:
    cutoff = clock.time() - UPLOADS_KEPT_FOR_SECONDS
    for path in _uploads_dir().iterdir():
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except FileNotFoundError:
            pass  # another request got there first


def upload_prepare(*, user, filename: str, table: Table) -> Upload:
    """Check a file and keep it, with what importing it would do, for the preview."""
    _forget_old_uploads()
    plan = plan_import(table=table, user=user)
    upload = Upload(
        token=str(uuid.uuid4()),
        user_id=user.pk,
        filename=os.path.basename(filename)[:200],
        created_at=timezone.now().isoformat(),
        state=UploadState.READY,
        summary=plan.summary(ignored_columns=table.ignored_columns),
        text=table.text,
    )
    _write(upload)
    return upload


def upload_get(*, token: str, user) -> Upload | None:
    """The user's upload in whatever state it is in; None if there is none (or it is someone
    else's)."""
    for state in (UploadState.IMPORTED, UploadState.IMPORTING, UploadState.READY):
        upload = _read(_path(token, state))
        if upload is not None:
            upload.state = state  # the file's name says, once the import has claimed it
            return upload if upload.user_id == user.pk else None
    return None


def upload_import(*, token: str, user) -> Upload | None:
    """Import an upload, once. Returns it as it then is: imported; ready again with an error
    saying why nothing was imported; or, for a second submit, being imported or imported."""
    upload = upload_get(token=token, user=user)
    if upload is None or upload.state != UploadState.READY or upload.summary["counts"]["problems"]:
        return upload
    ready, importing = _path(token, UploadState.READY), _path(token, UploadState.IMPORTING)
    try:
        os.rename(ready, importing)  # the claim: only one request can do this
    except FileNotFoundError:
        return upload_get(token=token, user=user)
    try:
        result = import_table(table=table_from_text(upload.text), user=user)
    except (ImportFailed, CsvFileError) as failure:
        upload.error = getattr(failure, "message", str(failure))
        if getattr(failure, "summary", None):
            upload.summary = failure.summary
        _write(upload)
        importing.unlink(missing_ok=True)
        return upload
    except BaseException:
        os.rename(importing, ready)
        raise
    upload.state, upload.result, upload.text, upload.error = UploadState.IMPORTED, result, "", ""
    _write(upload)
    importing.unlink(missing_ok=True)
    return upload
