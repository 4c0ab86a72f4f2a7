from django.urls import path

from outcomes.dashboards.lead import views as lead
from outcomes.dashboards.lead.sections import SECTIONS
from outcomes.dashboards.partnership import views as partnership

app_name = "dashboards"

# Included at /outcomes/dashboard/.
urlpatterns = [
    path("service/", lead.lead_dashboard, name="lead_dashboard"),
    # One short page per section of the dashboard, each at its own address.
    *(
        path(
            f"service/{section.slug}/",
            lead.lead_section,
            {"section": section.slug},
            name=f"lead_{section.slug}",
        )
        for section in SECTIONS
    ),
    path("service/targets/", lead.lead_targets, name="lead_targets"),
    path("service/<slug:table>.csv", lead.lead_dashboard_csv, name="lead_dashboard_csv"),
    path("area/", partnership.partnership_dashboard, name="partnership_dashboard"),
    path(
        "area/<slug:table>.csv",
        partnership.partnership_dashboard_csv,
        name="partnership_dashboard_csv",
    ),
]
