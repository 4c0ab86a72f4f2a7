import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

LAST_ACTIVITY_KEY = "last_activity"


class IdleTimeoutMiddleware:
    """Signs a user out after IDLE_TIMEOUT_SECONDS without a request.

    The browser shows a warning before this happens (static/js/session-timeout.js) and can
    extend the session through the keep-alive endpoint; the server is what enforces it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            last = request.session.get(LAST_ACTIVITY_KEY, now)
            if now - last > settings.IDLE_TIMEOUT_SECONDS:
                logout(request)
                return redirect(f"{reverse(settings.LOGIN_URL)}?{urlencode({'timeout': '1'})}")
            request.session[LAST_ACTIVITY_KEY] = now
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
