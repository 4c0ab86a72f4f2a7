from django.urls import path

from outcomes import alert_views, import_views, views
from outcomes.plans.urls import urlpatterns as plan_urlpatterns

app_name = "outcomes"

urlpatterns = [
    path("service-users/<uuid:public_id>/episodes/new/", views.episode_open, name="episode_open"),
    path("episodes/<uuid:episode_id>/end/", views.episode_end, name="episode_end"),
    path("episodes/<uuid:episode_id>/reopen/", views.episode_reopen, name="episode_reopen"),
    path(
        "episodes/<uuid:episode_id>/appointments/new/",
        views.appointment_record,
        name="appointment_record",
    ),
    path(
        "episodes/<uuid:episode_id>/measures/<str:which>/new/",
        views.measure_record,
        name="measure_record",
    ),
    path(
        "episodes/<uuid:episode_id>/questionnaire-link/",
        views.measure_request_create,
        name="measure_request_create",
    ),
    path("measures/<uuid:measure_id>/", views.measure_detail, name="measure_detail"),
    path("risk-flags/<uuid:flag_id>/review/", views.risk_flag_review, name="risk_flag_review"),
    path(
        "risk-alerts/<uuid:alert_id>/acknowledge/",
        alert_views.risk_alert_acknowledge,
        name="risk_alert_acknowledge",
    ),
    path("settings/risk-alerts/", alert_views.risk_settings, name="risk_settings"),
    # Measures import from the clinical record (service leads).
    path("measures-import/", import_views.measures_import_upload, name="measures_import_upload"),
    path(
        "measures-import/<uuid:import_id>/",
        import_views.measures_import_detail,
        name="measures_import_detail",
    ),
    path(
        "measures-import/<uuid:import_id>/columns/",
        import_views.measures_import_columns,
        name="measures_import_columns",
    ),
    path(
        "measures-import/<uuid:import_id>/apply/",
        import_views.measures_import_apply,
        name="measures_import_apply",
    ),
    # Public: a service user's questionnaire link (signed, expiring, single use).
    path("questionnaire/<str:token>/", views.self_complete, name="self_complete"),
    *plan_urlpatterns,
]
