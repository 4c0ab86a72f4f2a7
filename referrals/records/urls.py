from django.urls import path

from referrals.records import views as record_views

urlpatterns = [
    path("", record_views.caseload, name="caseload"),
    path("add/", record_views.service_user_add, name="service_user_add"),
    path("<uuid:public_id>/", record_views.record, name="record"),
    path("<uuid:public_id>/details/", record_views.service_user_edit, name="service_user_edit"),
    # One URL per consent and change, so the access log's path says which was changed.
    path(
        "<uuid:public_id>/consent/<str:consent>/<str:change>/",
        record_views.consent,
        name="consent",
    ),
    path("<uuid:public_id>/screening/", record_views.screening_add, name="screening_add"),
    path(
        "<uuid:public_id>/screening/<uuid:screening_id>/resolve/",
        record_views.screening_resolve,
        name="screening_resolve",
    ),
]
