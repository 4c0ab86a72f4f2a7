"""Storing checked records through the one measure service.

Every measure goes through `outcomes.services.measures_import` (and so `measures_accept`):
the same duplicate check under the episode's row lock, the episode recompute, and the item-9
risk flag with its alerts to the assigned clinician and the duty contact. A file with errors
applies nothing unless the user chose to apply its valid rows; without that choice the
whole file is one transaction, so a row refused at this late stage (someone recorded the
same questionnaire since the check) leaves nothing half-imported. With it, each person and
date is a savepoint inside one transaction, so a refused one is left out alone.

Speed (bench/measures_import.py): each changed episode is recomputed once, at the end of
the import in the same transaction (`episodes_recompute_once`), not after every measure; the
episodes and their people are loaded together up front.
"""

from collections.abc import Callable
from itertools import groupby

from django.db import transaction

from outcomes import services
from outcomes.measures_import.checking import check_records
from outcomes.measures_import.records import (
    NAMES,
    Applied,
    Checked,
    MeasureRecord,
    RowError,
    ValidRecord,
)
from outcomes.models import Episode
from talkingmoves.accounts.models import Organisation

Progress = Callable[[int, int], None]


class _Refused(Exception):
    def __init__(self, errors: list[RowError]):
        self.errors = errors


def _groups(valid: list[ValidRecord]):
    """One call per episode and date: a row's PHQ-9 and GAD-7 arrive together, as on the form."""

    def key(v):
        return (v.episode_id, v.taken_on)

    return [list(group) for _, group in groupby(sorted(valid, key=key), key=key)]


def _apply_groups(groups, *, by, path: str, all_or_nothing: bool, progress) -> Applied:
    applied = Applied()
    episodes = Episode.objects.select_related("service_user").in_bulk(
        {group[0].episode_id for group in groups}
    )
    total, done = sum(map(len, groups)), 0
    with services.episodes_recompute_once():
        for group in groups:
            entries = [services.MeasureEntry(v.record.kind, v.answers) for v in group]
            try:
                measures, flags = services.measures_import(
                    episode=episodes[group[0].episode_id],
                    taken_on=group[0].taken_on,
                    entries=entries,
                    by=by,
                    path=path,
                )
            except services.OutcomeError as error:
                errors = [RowError(v.record.row, NAMES[v.record.kind], str(error)) for v in group]
                if all_or_nothing:
                    raise _Refused(errors) from None
                applied.errors.extend(errors)
            else:
                applied.measures += len(measures)
                applied.risk_flags += len(flags)
            done += len(group)
            if progress:
                progress(done, total)
    return applied


def apply_checked(
    checked: Checked,
    *,
    by,
    apply_valid_rows: bool = False,
    path: str = "",
    progress: Progress | None = None,
) -> Applied:
    """Store the valid records of a checked file in the name of `by`, the member of the
    service's staff importing it (every imported measure has a recorder: a constraint)."""
    if checked.errors and not apply_valid_rows:
        return Applied(errors=list(checked.errors), refused=True)
    groups = _groups(checked.valid)
    if apply_valid_rows:
        with transaction.atomic():
            applied = _apply_groups(
                groups, by=by, path=path, all_or_nothing=False, progress=progress
            )
        applied.errors = [*checked.errors, *applied.errors]
        return applied
    try:
        with transaction.atomic():
            return _apply_groups(groups, by=by, path=path, all_or_nothing=True, progress=progress)
    except _Refused as refused:
        return Applied(errors=refused.errors, refused=True)


def records_import(
    records: list[MeasureRecord],
    *,
    service: Organisation,
    by,
    found: list[RowError] | None = None,
    apply_valid_rows: bool = False,
    path: str = "",
    progress: Progress | None = None,
) -> tuple[Checked, Applied]:
    """Check the records again (the record may have changed since a preview), then apply."""
    checked = check_records(records, service=service, found=found or [])
    applied = apply_checked(
        checked, by=by, apply_valid_rows=apply_valid_rows, path=path, progress=progress
    )
    return checked, applied
