from django.contrib.auth.decorators import login_not_required
from django.urls import path

from . import team_views, views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", login_not_required(views.LoginView.as_view()), name="login"),
    path("sign-out/", views.LogoutView.as_view(), name="logout"),
    path("two-factor/", views.two_factor_view, name="two_factor"),
    path("two-factor/recovery-codes/", views.recovery_codes_view, name="recovery_codes"),
    path("keep-alive/", views.keep_alive, name="keep_alive"),
    path("password-reset/", views.password_reset, name="password_reset"),
    path("password-reset/sent/", views.password_reset_done, name="password_reset_done"),
    path(
        "password-reset/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("password-reset/done/", views.password_reset_complete, name="password_reset_complete"),
    # Accounts run by the services (team_views.py).
    path("team/", team_views.team, name="team"),
    path("team/invite/", team_views.team_invite, name="team_invite"),
    path("provider-accounts/", team_views.provider_accounts, name="provider_accounts"),
    path(
        "provider-accounts/invite/",
        team_views.provider_accounts_invite,
        name="provider_accounts_invite",
    ),
    path("people/<uuid:public_id>/", team_views.account_detail, name="account_detail"),
    path(
        "people/<uuid:public_id>/deactivate/",
        team_views.account_deactivate,
        name="account_deactivate",
    ),
    path(
        "people/<uuid:public_id>/reactivate/",
        team_views.account_reactivate,
        name="account_reactivate",
    ),
    path(
        "people/<uuid:public_id>/reset-authenticator/",
        team_views.account_two_factor_reset,
        name="account_two_factor_reset",
    ),
    path("people/<uuid:public_id>/role/", team_views.account_role, name="account_role"),
    path("invitation/<str:token>/", team_views.invitation, name="invitation"),
]
