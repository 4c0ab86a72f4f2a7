"""The service lead's dashboard in sections, its CSV downloads and its target lines. Views
stay thin: the period comes from a GET form, figures from the selectors through the
presenters (lead/sections.py says which each section needs)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from outcomes.dashboards.exports import table_csv
from outcomes.dashboards.lead import presenters, sections
from outcomes.dashboards.lead.forms import TargetsForm
from outcomes.dashboards.lead.selectors import targets_for
from outcomes.dashboards.lead.services import outcome_targets_update
from outcomes.dashboards.periods import chosen_period, export_period, period_form
from talkingmoves.accounts.permissions import Action, can, permission_required


@require_GET
@permission_required(Action.VIEW_SERVICE_DASHBOARD)
def lead_dashboard(request):
    """The address of the dashboard before it had sections: its summary, same period."""
    url = reverse("dashboards:lead_summary")
    return redirect(f"{url}?{request.GET.urlencode()}" if request.GET else url)


@require_GET
@permission_required(Action.VIEW_SERVICE_DASHBOARD)
def lead_section(request, section):
    form = period_form(request.GET)
    period = chosen_period(form)
    context = {
        "form": form,
        "period": period,
        "section": sections.BY_SLUG[section],
        "sections": sections.SECTIONS,
        "may_change_targets": can(request.user, Action.MANAGE_SERVICE_SETTINGS),
    }
    if period is not None:
        # CSV links are for whole months only; none for other dates (ADR 013).
        context["csv_period"] = export_period(period)
        context["csv_refused"] = context["csv_period"] is None
        context.update(sections.section_page(section, request.user.organisation_id, period))
    return render(request, f"dashboards/lead/{section}.html", context)


LEAD_TABLES = {**presenters.LEAD_TABLES, **sections.SECTION_TABLES}


@require_GET
@permission_required(Action.VIEW_SERVICE_DASHBOARD)
def lead_dashboard_csv(request, table):
    return table_csv(
        request,
        table,
        LEAD_TABLES,
        "dashboards:lead_dashboard",
        "lead",
        for_export=export_period,
    )


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
        return redirect("dashboards:lead_outcomes")
    return render(request, "dashboards/targets.html", {"form": form})
