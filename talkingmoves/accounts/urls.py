from django.contrib.auth.decorators import login_not_required
from django.urls import path

from . import views

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
]
