import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django_otp.middleware import OTPMiddleware
from django_otp.plugins.otp_totp.models import TOTPDevice

from talkingmoves.accounts.signed_in_reads import totp_device

LAST_ACTIVITY_KEY = "last_activity"


def activity_write_seconds() -> int:
    """How old the recorded last activity may get before a request writes it again: a
    session write on every request cost each page 3.5 ms. So the server may sign someone
    out up to this long before IDLE_TIMEOUT_SECONDS, and the browser's countdown ends that
    much sooner (browser_idle_timeout_seconds), never promising time the server won't give."""
    return min(60, settings.IDLE_TIMEOUT_SECONDS // 10)


def browser_idle_timeout_seconds() -> int:
    return settings.IDLE_TIMEOUT_SECONDS - activity_write_seconds()


def record_activity(request, now: float | None = None) -> None:
    request.session[LAST_ACTIVITY_KEY] = time.time() if now is None else now


class IdleTimeoutMiddleware:
    """Signs a user out after IDLE_TIMEOUT_SECONDS without a request.

    The browser shows a warning before this happens (static/js/session-timeout.mjs) and can
    extend the session through the keep-alive endpoint; the server is what enforces it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            last = request.session.get(LAST_ACTIVITY_KEY)
            if last is not None and now - last > settings.IDLE_TIMEOUT_SECONDS:
                logout(request)
                return redirect(f"{reverse(settings.LOGIN_URL)}?{urlencode({'timeout': '1'})}")
            if last is None or now - last >= activity_write_seconds():
                record_activity(request, now)
        return self.get_response(request)


class TwoFactorRequiredMiddleware:
    """Roles that see clinical data (and admins) must verify a TOTP code before any page
    other than the two-factor pages themselves, signing out, and public pages."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._exempt_prefixes = None

    def exempt_prefixes(self):
        if self._exempt_prefixes is None:
            self._exempt_prefixes = (
                reverse("accounts:two_factor"),
                reverse("accounts:logout"),
                reverse("accounts:keep_alive"),
                settings.STATIC_URL,
            )
        return self._exempt_prefixes

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if (
            user.is_authenticated
            and user.needs_two_factor
            and not user.is_verified()
            # Public pages (@login_not_required) stay public for a half-signed-in user.
            and getattr(view_func, "login_required", True)
            and not request.path.startswith(self.exempt_prefixes())
        ):
            next_url = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('accounts:two_factor')}?{next_url}")
        return None


class CompiledOTPMiddleware(OTPMiddleware):
    """django-otp's middleware, reading a TOTP device (every verified session's) by a
    statement compiled once (signed_in_reads.py). Other kinds of device, and an id that is
    not a number, take django-otp's own path; its checks of the device that is found (the
    user's own, confirmed) are unchanged."""

    def _device_from_persistent_id(self, persistent_id: str):
        model_label, _, device_id = self._normalize_persistent_id(persistent_id).rpartition("/")
        # isascii: "²".isdigit() is true, and int() refuses it.
        if (
            model_label == TOTPDevice._meta.label_lower
            and device_id.isascii()
            and device_id.isdigit()
        ):
            return totp_device(int(device_id))
        return super()._device_from_persistent_id(persistent_id)
