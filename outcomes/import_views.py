"""The measures import pages (service leads): upload, choose columns for other layouts,
review the check, apply. Each is a plain POST-redirect-GET; checking and applying run in a
worker (outcomes/measures_import/jobs.py), and the job page shows their progress."""

from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from outcomes.measures_import import ImportFileError, jobs, layouts, upload_services
from outcomes.measures_import.csv_reading import MAX_ROWS
from outcomes.measures_import.forms import ApplyForm, ColumnsForm, UploadForm
from outcomes.measures_import.upload_selectors import measure_import_for
from outcomes.models import MeasureImport
from talkingmoves.accounts.permissions import Action, permission_required

State = MeasureImport.State


def _job_page(job):
    return redirect("jobs:detail", job_id=job.pk)


@require_http_methods(["GET", "POST"])
@permission_required(Action.IMPORT_MEASURES)
def measures_import_upload(request):
    posted = request.method == "POST"
    form = UploadForm(request.POST, request.FILES) if posted else UploadForm()
    if posted and form.is_valid():
        try:
            upload = upload_services.measure_import_start(
                service=request.user.organisation,
                by=request.user,
                filename=form.cleaned_data["file"].name,
                data=form.cleaned_data["data"],
            )
        except ImportFileError as error:
            form.add_error("file", str(error))
        else:
            if upload.state == State.NEEDS_MAPPING:
                return redirect("outcomes:measures_import_columns", import_id=upload.public_id)
            return _job_page(jobs.check_enqueue(upload, by=request.user))
    return render(
        request,
        "outcomes/measures_import/upload.html",
        {"form": form, "layouts": _layout_columns(), "max": MAX_ROWS},
    )


@require_http_methods(["GET", "POST"])
@permission_required(Action.IMPORT_MEASURES)
def measures_import_columns(request, import_id):
    upload = measure_import_for(request.user, import_id)
    if upload.state != State.NEEDS_MAPPING:
        return redirect("outcomes:measures_import_detail", import_id=upload.public_id)
    posted = request.method == "POST"
    form = ColumnsForm(request.POST if posted else None, headers=upload.headers)
    if posted and form.is_valid():
        upload_services.measure_import_map_columns(
            upload=upload, mapping=form.cleaned_data["mapping"]
        )
        return _job_page(jobs.check_enqueue(upload, by=request.user))
    return render(
        request, "outcomes/measures_import/columns.html", {"form": form, "upload": upload}
    )


@require_GET
@permission_required(Action.IMPORT_MEASURES)
def measures_import_detail(request, import_id):
    upload = measure_import_for(request.user, import_id)
    if upload.state == State.NEEDS_MAPPING:
        return redirect("outcomes:measures_import_columns", import_id=upload.public_id)
    job_id = upload.apply_job_id if upload.state == State.APPLYING else upload.check_job_id
    return render(
        request,
        "outcomes/measures_import/detail.html",
        {
            "upload": upload,
            "layout_name": layouts.LAYOUT_NAMES.get(upload.layout, "FHIR"),
            "form": ApplyForm(),
            "job_id": job_id,
        },
    )


@require_POST
@permission_required(Action.IMPORT_MEASURES)
def measures_import_apply(request, import_id):
    upload = measure_import_for(request.user, import_id)
    form = ApplyForm(request.POST)
    form.is_valid()  # one optional checkbox: nothing to refuse
    apply_valid_rows = form.cleaned_data.get("apply_valid_rows", False)
    if upload.state == State.CHECKED and (apply_valid_rows or not upload.report["error_count"]):
        return _job_page(
            jobs.apply_enqueue(upload, by=request.user, apply_valid_rows=apply_valid_rows)
        )
    return redirect("outcomes:measures_import_detail", import_id=upload.public_id)


def _layout_columns():
    return [(layouts.LAYOUT_NAMES[name], columns) for name, columns in layouts.LAYOUTS.items()]
