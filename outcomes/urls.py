from django.urls import include, path

app_name = "outcomes"

urlpatterns = [
    # Episodes, appointments, measures and the self-completion page (outcomes/urls_records.py).
    path("", include("outcomes.urls_records")),
    # Service lead and Active Partnership dashboards (outcomes/urls_dashboard.py).
    path("dashboard/", include("outcomes.urls_dashboard")),
]
