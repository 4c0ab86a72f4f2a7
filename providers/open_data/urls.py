from django.urls import path

from providers.open_data import page, views

app_name = "open_data"

urlpatterns = [
    path("open-data/", page.open_data_page, name="page"),
    # Open Referral UK 3.0: no trailing slashes on the resources, as the profile writes them.
    path("api/oruk/", views.oruk_root, name="oruk_root"),
    path("api/oruk/services", views.oruk_services, name="oruk_services"),
    path("api/oruk/services/<str:service_id>", views.oruk_service, name="oruk_service"),
    path(
        "openactive/session-series",
        views.openactive_session_series,
        name="openactive_session_series",
    ),
]
