"""The service lead's dashboard and the Active Partnership's dashboard, with a CSV download of
every table. Views stay thin: the period comes from a GET form, figures from the selectors
(through the presenters), and every download is written to the access log."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from outcomes.dashboards import presenters
from outcomes.dashboards.db import analytics
from outcomes.dashboards.lead.selectors import targets_for
from outcomes.dashboards.lead.services import outcome_targets_update
from outcomes.dashboards.periods import TargetsForm, chosen_period, period_form
from talkingmoves.accounts.permissions import Action, can, permission_required
from talkingmoves.audit.actions import AccessAction
from talkingmoves.audit.services import access_log_write


@require_GET
@permission_required(Action.VIEW_SERVICE_DASHBOARD)
def lead_dashboard(request):
    form = period_form(request.GET)
    period = chosen_period(form)
    context = {
        "form": form,
        "period": period,
        "may_change_targets": can(request.user, Action.MANAGE_SERVICE_SETTINGS),
    }
    if period is not None:
        context.update(presenters.lead_page(request.user.organisation_id, period))
    return render(request, "dashboards/lead.html", context)


@require_GET
@permission_required(Action.VIEW_SERVICE_DASHBOARD)
def lead_dashboard_csv(request, table):
    return _csv(request, table, presenters.LEAD_TABLES, "dashboards:lead_dashboard", "lead")


@require_GET
@permission_required(Action.VIEW_PROVISION_GAPS)
def partnership_dashboard(request):
    form = period_form(request.GET)
    period = chosen_period(form)
    context = {"form": form, "period": period}
    with analytics():
        context.update(presenters.partnership_page(request.user.organisation_id, period))
    return render(request, "dashboards/partnership.html", context)


@require_GET
@permission_required(Action.VIEW_PROVISION_GAPS)
def partnership_dashboard_csv(request, table):
    return _csv(
        request, table, presenters.PARTNERSHIP_TABLES, "dashboards:partnership_dashboard", "area"
    )


def _csv(request, table, tables, page, kind):
    build = tables.get(table)
    if build is None:
        raise Http404
    period = chosen_period(period_form(request.GET))
    if period is None:
        # Dates that are not valid: the page shows what is wrong, keeping what was typed.
        return redirect(f"{reverse(page)}?{request.GET.urlencode()}")
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


@require_http_methods(["GET", "POST"])
@permission_required(Action.MANAGE_SERVICE_SETTINGS)
def lead_targets(request):
    targets = targets_for(request.user.organisation_id)
    form = TargetsForm(request.POST or None, instance=targets)
    if request.method == "POST" and form.is_valid():
        outcome_targets_update(
            service_id=request.user.organisation_id, by=request.user, **form.cleaned_data
        )
        messages.success(request, "Targets saved")
        return redirect("dashboards:lead_dashboard")
    return render(request, "dashboards/targets.html", {"form": form})
