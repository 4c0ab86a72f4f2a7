"""Bulk import and export pages. An upload is checked, then imported, by workers as jobs
(providers/jobs.py): each POST starts one and redirects to its page (/jobs/<id>/), which
shows progress and then the result; the work is in csv_io."""

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from talkingmoves.accounts.permissions import Action, permission_required
from talkingmoves.forms import NHSForm
from talkingmoves.jobs import selectors as job_selectors

from . import csv_io
from . import jobs as directory_jobs


class CsvUploadForm(NHSForm):
    submit_text = ""  # the page has its own button, after the NHS.UK file upload component
    file = forms.FileField(
        label="Upload a CSV file",
        error_messages={"required": "Select a CSV file", "empty": "The selected file is empty"},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > csv_io.MAX_BYTES:  # before reading it into memory
            raise ValidationError(csv_io.TOO_BIG_MESSAGE)
        try:
            self.cleaned_data["table"] = csv_io.read_table(data=upload.read(), filename=upload.name)
        except csv_io.CsvFileError as error:
            raise ValidationError(str(error)) from None
        return upload


def _csv_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class CsvImportForm(forms.Form):
    """Which rows to import: all of them, or (a file with problems) the rows without any."""

    rows = forms.ChoiceField(choices=[("all", "All rows"), ("valid", "The rows without problems")])


@require_http_methods(["GET", "POST"])
@permission_required(Action.MANAGE_DIRECTORY)
def csv_upload(request):
    if request.method == "POST":
        form = CsvUploadForm(request.POST, request.FILES)
        if form.is_valid():
            job = directory_jobs.csv_check_start(
                user=request.user,
                filename=form.cleaned_data["file"].name,
                table=form.cleaned_data["table"],
            )
            return redirect("jobs:detail", job_id=job.pk)
    else:
        form = CsvUploadForm()
    return render(request, "providers/csv/upload.html", {"form": form, "columns": csv_io.COLUMNS})


@require_POST
@permission_required(Action.MANAGE_DIRECTORY)
def csv_import(request, job_id):
    """Import a checked file (its check job's page has the button); once, however often the
    button is pressed."""
    check = job_selectors.job_for(request.user, job_id)
    form = CsvImportForm(request.POST)
    if not form.is_valid():
        return redirect("jobs:detail", job_id=check.pk)
    try:
        job = directory_jobs.csv_import_start(
            check=check, user=request.user, valid_rows_only=form.cleaned_data["rows"] == "valid"
        )
    except directory_jobs.NothingToImport:
        return redirect("jobs:detail", job_id=check.pk)
    return redirect("jobs:detail", job_id=job.pk)


@require_GET
@permission_required(Action.MANAGE_DIRECTORY)
def csv_template(request):
    return _csv_response(csv_io.template_csv(), "talkingmoves-listings-template.csv")


@require_GET
@permission_required(Action.MANAGE_DIRECTORY)
def csv_export(request):
    today = timezone.localdate().isoformat()
    return _csv_response(csv_io.export_csv(user=request.user), f"talkingmoves-listings-{today}.csv")
