"""The plan pages, part of the outcomes namespace (outcomes/urls.py)."""

from django.urls import path

from outcomes.plans import views

urlpatterns = [
    path(
        "service-users/<uuid:public_id>/being-active/conversation/",
        views.conversation,
        name="plan_conversation",
    ),
    path("service-users/<uuid:public_id>/being-active/plan/", views.plan_new, name="plan_new"),
    path("plans/<uuid:plan_id>/", views.plan_detail, name="plan_detail"),
    path("plans/<uuid:plan_id>/send/", views.plan_send, name="plan_send"),
    path("plans/<uuid:plan_id>/print/", views.plan_print, name="plan_print"),
    # Public: the person's own plan (signed, expiring link).
    path("my-plan/<str:token>/", views.plan_page, name="plan_page"),
    path("my-plan/<str:token>/easy-read/", views.plan_easy_read, name="plan_easy_read"),
]
