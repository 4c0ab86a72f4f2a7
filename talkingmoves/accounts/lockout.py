"""Which failed sign-ins lock whom (django-axes' AXES_LOCKOUT_PARAMETERS callable).

Failures count per account AND address together, so nobody can lock a clinician out from
somewhere else. One address is also capped across all accounts, so it cannot try a password
against every account; that cap is higher than the per-account limit because a trust's staff
often share one address, and a handful of typos must not lock out a clinic.

axes 8 has one failure limit for every parameter (it compares the largest count with it), so
the cap is applied here: once an address is over it, lock by address alone.
"""

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone

from talkingmoves.core.request_log import pseudonym

BY_ACCOUNT_AT_ADDRESS = [["username", "ip_address"]]
BY_ADDRESS = ["ip_address"]


def address_failures(ip_address: str) -> int:
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    counted = AccessAttempt.objects.filter(ip_address=ip_address, attempt_time__gte=since)
    return counted.aggregate(total=Sum("failures_since_start"))["total"] or 0


def lockout_parameters(request_or_attempt, credentials=None) -> list:
    if not isinstance(request_or_attempt, HttpRequest):  # axes asking about a stored attempt
        return BY_ACCOUNT_AT_ADDRESS
    ip_address = getattr(request_or_attempt, "axes_ip_address", None)
    if ip_address and address_failures(ip_address) >= settings.SIGN_IN_FAILURES_PER_ADDRESS:
        request_or_attempt.sign_in_locked_by_address = True
        return BY_ADDRESS
    return BY_ACCOUNT_AT_ADDRESS


def client_str(username, ip_address, user_agent, path_info, request) -> str:
    """How axes names a client in its log lines: never the email address (it is personal
    data), nor the address; a keyed hash that is the same for one username each time."""
    account = pseudonym("username:" + (username or "").lower())
    return f"{{account: {account}}}"
