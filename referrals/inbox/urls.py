from django.urls import path

from referrals.inbox import register_views
from referrals.inbox import views as inbox_views

urlpatterns = [
    path("", inbox_views.inbox, name="inbox"),
    path("register/", register_views.register, name="inbox_register"),
    path(
        "register/<uuid:activity_id>/<str:session_date>/",
        register_views.register_session,
        name="inbox_register_session",
    ),
    path("<uuid:public_id>/", inbox_views.inbox_referral, name="inbox_referral"),
    path("<uuid:public_id>/accept/", inbox_views.inbox_accept, name="inbox_accept"),
    path("<uuid:public_id>/decline/", inbox_views.inbox_decline, name="inbox_decline"),
    path("<uuid:public_id>/attendance/", inbox_views.inbox_attendance, name="inbox_attendance"),
    path("<uuid:public_id>/move/", inbox_views.inbox_move, name="inbox_move"),
]
urlpatterns += [path("answer/<str:token>/", inbox_views.provider_link, name="provider_link")]
