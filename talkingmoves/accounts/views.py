from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from talkingmoves.audit.actions import AccessAction
from talkingmoves.audit.services import access_log_write

from . import two_factor
from .forms import (
    EmailAuthenticationForm,
    NHSPasswordResetForm,
    NHSSetPasswordForm,
    TokenForm,
    VerifyForm,
)
from .middleware import record_activity

RECOVERY_CODES_SESSION_KEY = "new_recovery_codes"


def _safe_next(request, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


@login_not_required
def locked_out(request, response=None, credentials=None):
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "accounts/locked_out.html",
        {
            "minutes": minutes,
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "by_address": getattr(request, "sign_in_locked_by_address", False),
        },
        status=429,
    )


def admin_login_redirect(request):
    """The admin's own login page is replaced by ours. A signed-in user who is not an admin
    gets 403 here rather than a loop between the two login pages."""
    if request.user.is_authenticated:
        raise PermissionDenied
    query = request.META.get("QUERY_STRING", "")
    return redirect(f"{reverse(settings.LOGIN_URL)}{'?' + query if query else ''}")


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["timed_out"] = self.request.GET.get("timeout") == "1"
        return context

    def form_valid(self, form):
        response = super().form_valid(form)
        access_log_write(actor=self.request.user, action=AccessAction.LOGIN, obj=self.request.user)
        return response


class LogoutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]


@require_http_methods(["GET", "POST"])
def two_factor_view(request):
    """Verify a code, or — for someone without an authenticator yet — enrol one."""
    user = request.user
    next_url = _safe_next(request, reverse(settings.LOGIN_REDIRECT_URL))
    if user.is_verified():
        return redirect(next_url)
    if not two_factor.has_confirmed_device(user):
        return _enrol(request, next_url)

    form = VerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = two_factor.two_factor_match(user=user, token=form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            return redirect(next_url)
        form.add_error(
            "token", "The security code is not correct. Check your authenticator app and try again"
        )
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": next_url})


def _enrol(request, next_url):
    device = two_factor.pending_totp_device(request.user)
    form = TokenForm(request.POST or None)
    wait = two_factor.seconds_until_next_try(device) if request.method == "POST" else 0
    if wait:
        form.is_valid()
        unit = "second" if wait == 1 else "seconds"
        form.add_error("token", f"You entered a wrong code. Wait {wait} {unit}, then try again")
    elif request.method == "POST" and form.is_valid():
        codes = two_factor.two_factor_enrol(
            user=request.user, device=device, token=form.cleaned_data["token"]
        )
        if codes is not None:
            device.refresh_from_db()
            otp_login(request, device)
            request.session[RECOVERY_CODES_SESSION_KEY] = codes
            return redirect(f"{reverse('accounts:recovery_codes')}?next={next_url}")
        form.add_error(
            "token",
            "The security code is not correct. Check the time on your phone is right and try again",
        )
    return render(
        request,
        "accounts/two_factor_enrol.html",
        {
            "form": form,
            "next": next_url,
            "qr_code": two_factor.qr_code_svg(device),
            "secret": two_factor.readable_secret(device),
        },
    )


@require_http_methods(["GET"])
def recovery_codes_view(request):
    """Shows the recovery codes once, straight after enrolment."""
    codes = request.session.pop(RECOVERY_CODES_SESSION_KEY, None)
    if not codes:
        return redirect("core:home")
    return render(
        request,
        "accounts/recovery_codes.html",
        {"codes": codes, "next": _safe_next(request, reverse("core:home"))},
    )


@require_POST
def keep_alive(request):
    """Called by the idle-timeout warning's "Stay signed in" button. Recorded now, even if
    the middleware did not write it (it writes at most once a minute): the browser counts
    the full time again from this moment."""
    record_activity(request)
    if request.headers.get("Accept", "").startswith("text/html"):
        messages.success(request, "You are still signed in")
        return redirect(_safe_next(request, reverse("core:home")))
    return HttpResponse(status=204)


password_reset = login_not_required(
    auth_views.PasswordResetView.as_view(
        template_name="accounts/password_reset.html",
        form_class=NHSPasswordResetForm,
        email_template_name="accounts/email/password_reset.txt",
        subject_template_name="accounts/email/password_reset_subject.txt",
        success_url=reverse_lazy("accounts:password_reset_done"),
    )
)
password_reset_done = login_not_required(
    auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html")
)
password_reset_confirm = login_not_required(
    auth_views.PasswordResetConfirmView.as_view(
        template_name="accounts/password_reset_confirm.html",
        form_class=NHSSetPasswordForm,
        success_url=reverse_lazy("accounts:password_reset_complete"),
    )
)
password_reset_complete = login_not_required(
    auth_views.PasswordResetCompleteView.as_view(
        template_name="accounts/password_reset_complete.html"
    )
)
