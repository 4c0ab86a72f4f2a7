from django.urls import path

from . import dashboard_views

# Included at /outcomes/dashboard/ in the "outcomes" namespace.
urlpatterns = [
    path("service/", dashboard_views.lead_dashboard, name="lead_dashboard"),
    path("service/targets/", dashboard_views.lead_targets, name="lead_targets"),
    path("service/<slug:table>.csv", dashboard_views.lead_dashboard_csv, name="lead_dashboard_csv"),
    path("area/", dashboard_views.partnership_dashboard, name="partnership_dashboard"),
    path(
        "area/<slug:table>.csv",
        dashboard_views.partnership_dashboard_csv,
        name="partnership_dashboard_csv",
    ),
]
