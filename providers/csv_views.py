"""Bulk import and export pages: upload -> preview -> confirm -> done, each a plain
POST-redirect-GET; the work is in csv_io."""

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from talkingmoves.accounts.permissions import Action, permission_required
from talkingmoves.forms import NHSForm

from . import csv_io


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


def _upload_or_404(request, token) -> csv_io.Upload:
    upload = csv_io.upload_get(token=str(token), user=request.user)
    if upload is None:
        raise Http404
    return upload


@require_http_methods(["GET", "POST"])
@permission_required(Action.MANAGE_DIRECTORY)
def csv_upload(request):
    if request.method == "POST":
        form = CsvUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = csv_io.upload_prepare(
                user=request.user,
                filename=form.cleaned_data["file"].name,
                table=form.cleaned_data["table"],
            )
            return redirect("providers:csv_preview", token=upload.token)
    else:
        form = CsvUploadForm()
    return render(request, "providers/csv/upload.html", {"form": form, "columns": csv_io.COLUMNS})


@require_GET
@permission_required(Action.MANAGE_DIRECTORY)
def csv_preview(request, token):
    upload = _upload_or_404(request, token)
    if upload.state == csv_io.UploadState.IMPORTED:
        return redirect("providers:csv_done", token=upload.token)
    return render(
        request,
        "providers/csv/preview.html",
        {
            "upload": upload,
            "counts": upload.summary["counts"],
            "importing": upload.state == csv_io.UploadState.IMPORTING,
            "to_import": upload.summary["counts"]["new"] + upload.summary["counts"]["changed"],
        },
    )


@require_POST
@permission_required(Action.MANAGE_DIRECTORY)
def csv_confirm(request, token):
    upload = csv_io.upload_import(token=str(token), user=request.user)
    if upload is None:
        raise Http404
    if upload.state == csv_io.UploadState.IMPORTED:
        return redirect("providers:csv_done", token=upload.token)
    return redirect("providers:csv_preview", token=upload.token)


@require_GET
@permission_required(Action.MANAGE_DIRECTORY)
def csv_done(request, token):
    upload = _upload_or_404(request, token)
    if upload.state != csv_io.UploadState.IMPORTED:
        return redirect("providers:csv_preview", token=upload.token)
    return render(request, "providers/csv/done.html", {"upload": upload, "result": upload.result})


@require_GET
@permission_required(Action.MANAGE_DIRECTORY)
def csv_template(request):
    return _csv_response(csv_io.template_csv(), "talkingmoves-listings-template.csv")


@require_GET
@permission_required(Action.MANAGE_DIRECTORY)
def csv_export(request):
    today = timezone.localdate().isoformat()
    return _csv_response(csv_io.export_csv(user=request.user), f"talkingmoves-listings-{today}.csv")
