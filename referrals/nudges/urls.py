from django.urls import path

from . import answer_views, views

app_name = "nudges"

urlpatterns = [
    # Public: the signed link in a service user's message (short, for text messages).
    path("n/<str:token>/", answer_views.answer, name="answer"),
    # Public: GOV.UK Notify's delivery-status callback, authenticated by a bearer token.
    path("nudges/notify-callback/", views.notify_callback, name="notify_callback"),
]
