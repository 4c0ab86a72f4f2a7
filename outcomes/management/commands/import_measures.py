"""Import PHQ-9 and GAD-7 scores from a clinical record export into one service.

    manage.py import_measures scores.csv --service RXX01 --dry-run
    manage.py import_measures bundle.json --service "Riverside NHS Talking Therapies" \\
        --by lead@example.nhs.uk --apply-valid-rows
    manage.py import_measures other.csv --service RXX01 --map nhs_number="Patient NHS" ...

Formats and columns: docs/measures-import.md. Row errors are printed by row; nothing is
imported from a file with errors unless --apply-valid-rows is given.
"""

from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from outcomes.measures_import import ImportFileError, UnknownLayout, layouts, read_upload
from outcomes.measures_import.applying import apply_checked
from outcomes.measures_import.checking import check_records
from outcomes.measures_import.upload_selectors import staff_member, talking_therapies_service


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


class Command(BaseCommand):
    help = "Import PHQ-9 and GAD-7 scores (iaptus or PCMIS CSV, or FHIR R4 JSON) into a service"

    def add_arguments(self, parser):
        parser.add_argument("path", help="CSV export or FHIR QuestionnaireResponse/Bundle JSON")
        parser.add_argument("--service", required=True, help="the service's ODS code or name")
        parser.add_argument("--dry-run", action="store_true", help="check only; write nothing")
        parser.add_argument(
            "--apply-valid-rows",
            action="store_true",
            help="import the rows without errors even when other rows have errors",
        )
        parser.add_argument(
            "--by",
            metavar="EMAIL",
            help="the member of the service's staff importing (needed unless --dry-run)",
        )
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="FIELD=COLUMN",
            help=f"column mapping for other layouts; fields: {', '.join(layouts.FIELDS)}",
        )

    def handle(self, *args, path, service, dry_run, apply_valid_rows, by, map, **options):
        organisation = talking_therapies_service(service)
        if organisation is None:
            raise CommandError(
                f"No single Talking Therapies service has the ODS code or name {service!r}"
            )
        if not by and not dry_run:
            raise CommandError(
                "Give --by EMAIL: imported measures are recorded in the name of a member of "
                "the service's staff (or use --dry-run to check the file only)"
            )
        user = None
        if by:
            user = staff_member(by, organisation)
            if user is None:
                raise CommandError(f"No active member of {organisation.name} has the email {by}")
        mapping = self._mapping(map)
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"No file at {path}")
        try:
            read = read_upload(file.read_bytes(), filename=file.name, mapping=mapping)
        except UnknownLayout as unknown:
            raise CommandError(
                f"{unknown} with --map FIELD=COLUMN. The file's columns: "
                + ", ".join(unknown.headers)
            ) from None
        except ImportFileError as error:
            raise CommandError(str(error)) from None
        checked = check_records(read.records, service=organisation, found=read.errors)
        self.stdout.write(
            f"{file.name} ({layouts.LAYOUT_NAMES.get(read.layout, 'FHIR')}): "
            f"{_count(len(checked.valid), 'questionnaire')} ready, "
            f"{_count(checked.rows_with_errors, 'row')} with errors"
        )
        for problem in checked.errors:
            self.stdout.write(f"  {problem}")
        if dry_run:
            self.stdout.write("Dry run: nothing imported")
            return
        try:
            applied = apply_checked(
                checked,
                by=user,
                apply_valid_rows=apply_valid_rows,
                path="manage.py import_measures",
            )
        except PermissionDenied:
            raise CommandError(f"{by} may not record measures for this service") from None
        if applied.refused:
            raise CommandError(
                f"Nothing imported: {_count(len(applied.errors), 'error')}. Fix them, or run "
                "again with "
                "--apply-valid-rows to import the rows without errors"
            )
        for problem in applied.errors[len(checked.errors) :]:
            self.stdout.write(f"  {problem}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {_count(applied.measures, 'questionnaire')}; {applied.risk_flags} "
                "raised a risk flag (the assigned clinician and the duty contact are alerted)"
            )
        )

    def _mapping(self, pairs: list[str]) -> dict[str, str] | None:
        if not pairs:
            return None
        mapping = {}
        for pair in pairs:
            field, _, column = pair.partition("=")
            if field.strip() not in layouts.FIELDS or not column.strip():
                raise CommandError(
                    f"--map {pair!r}: use FIELD=COLUMN, FIELD one of {', '.join(layouts.FIELDS)}"
                )
            mapping[field.strip()] = column.strip()
        return mapping
