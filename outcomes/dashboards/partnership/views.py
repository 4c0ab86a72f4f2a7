"""The Active Partnership's dashboard and its CSV downloads: listings, referrals received
by month and provision gaps, with small counts suppressed."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from outcomes.dashboards.db import analytics
from outcomes.dashboards.exports import table_csv
from outcomes.dashboards.partnership import presenters
from outcomes.dashboards.periods import chosen_period, period_form
from talkingmoves.accounts.permissions import Action, permission_required


@require_GET
@permission_required(Action.VIEW_PROVISION_GAPS)
def partnership_dashboard(request):
    form = period_form(request.GET)
    period = chosen_period(form)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "period": period, "query_string": query.urlencode()}
    with analytics():
        context.update(
            presenters.partnership_page(
                request.user.organisation_id, period, district_page=request.GET.get("page")
            )
        )
    return render(request, "dashboards/partnership.html", context)


@require_GET
@permission_required(Action.VIEW_PROVISION_GAPS)
def partnership_dashboard_csv(request, table):
    return table_csv(
        request, table, presenters.PARTNERSHIP_TABLES, "dashboards:partnership_dashboard", "area"
    )
