from django.urls import path

from referrals.nudges import answer_views, pages, views

app_name = "nudges"

urlpatterns = [
    # Public: the signed link in a service user's message (short, for text messages).
    path("n/<str:token>/", answer_views.answer, name="answer"),
    path("n/<str:token>/options/", answer_views.options, name="options"),
    path("n/<str:token>/not-yet/", answer_views.not_yet, name="not_yet"),
    path("n/<str:token>/list/", answer_views.shortlist_page, name="shortlist_page"),
    # Public: GOV.UK Notify's delivery-status callback, authenticated by a bearer token.
    path("nudges/notify-callback/", views.notify_callback, name="notify_callback"),
    # Staff: counts and failures, the schedule, the local outbox, call requests.
    path("nudges/", pages.messages_page, name="messages"),
    path("nudges/schedule/", pages.schedule_page, name="schedule"),
    path("nudges/outbox/", pages.outbox, name="outbox"),
    path("nudges/<uuid:nudge_id>/retry/", pages.retry, name="retry"),
    path("nudges/<uuid:nudge_id>/call-done/", pages.call_request_done, name="call_request_done"),
    path("nudges/shortlist/<uuid:public_id>/send/", pages.shortlist_send, name="shortlist_send"),
]
