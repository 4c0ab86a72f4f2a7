"""A dashboard table as a CSV download, for the same period as the page, access-logged."""

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from outcomes.dashboards.db import analytics
from outcomes.dashboards.periods import chosen_period, period_form
from talkingmoves.audit.actions import AccessAction
from talkingmoves.audit.services import access_log_write


def table_csv(request, table, tables, page, kind, *, for_export=None):
    """`for_export` maps the chosen period to the one downloaded (None: refused, 400)."""
    build = tables.get(table)
    if build is None:
        raise Http404
    period = chosen_period(period_form(request.GET))
    if period is None:
        # Dates that are not valid: the page shows what is wrong, keeping what was typed.
        return redirect(f"{reverse(page)}?{request.GET.urlencode()}")
    if for_export is not None:
        chosen, period = period, for_export(period)
        if period is None:
            context = {"period": chosen, "page": f"{reverse(page)}?{chosen.query}"}
            return render(request, "dashboards/csv_whole_months.html", context, status=400)
    with analytics():
        result = build(request.user.organisation_id, period)
    access_log_write(
        actor=request.user,
        action=AccessAction.EXPORT,
        object_type="outcomes.dashboard",
        object_id=f"{kind}:{table}",
        path=request.get_full_path(),
    )
    response = HttpResponse(result.csv_bytes(), content_type="text/csv; charset=utf-8")
    filename = f"{table}-{period.start:%Y-%m-%d}-to-{period.end:%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
