from django.urls import path

from outcomes.dashboards import views

app_name = "dashboards"

# Included at /outcomes/dashboard/.
urlpatterns = [
    path("service/", views.lead_dashboard, name="lead_dashboard"),
    path("service/targets/", views.lead_targets, name="lead_targets"),
    path("service/<slug:table>.csv", views.lead_dashboard_csv, name="lead_dashboard_csv"),
    path("area/", views.partnership_dashboard, name="partnership_dashboard"),
    path(
        "area/<slug:table>.csv", views.partnership_dashboard_csv, name="partnership_dashboard_csv"
    ),
]
