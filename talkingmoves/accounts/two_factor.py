"""Two-factor enrolment and verification (django-otp TOTP, with static recovery codes)."""

import secrets

import segno
from django.db import transaction
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from talkingmoves.audit.actions import AccessAction
from talkingmoves.audit.services import access_log_write

RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"


def has_confirmed_device(user) -> bool:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def pending_totp_device(user) -> TOTPDevice:
    """The unconfirmed device an enrolment page shows, created on first visit."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def qr_code_svg(device: TOTPDevice) -> str:
    # Inline SVG markup (no data: URL, no inline style), so the page needs no CSP exception.
    return segno.make(device.config_url, error="m").svg_inline(
        scale=5, title="QR code for your authenticator app", dark="#212b32"
    )


def readable_secret(device: TOTPDevice) -> str:
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def new_recovery_code() -> str:
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "".join(secrets.choice(alphabet) for _ in range(10))


def seconds_until_next_try(device) -> int:
    """django-otp slows guessing by refusing codes for a while after each wrong one."""
    allowed, details = device.verify_is_allowed()
    if allowed or not details or not details.get("locked_until"):
        return 0
    from django.utils import timezone

    return max(1, int((details["locked_until"] - timezone.now()).total_seconds()) + 1)


@transaction.atomic
def two_factor_enrol(*, user, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the pending device if the token matches; returns new recovery codes."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
    if not device.verify_token(token):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    StaticDevice.objects.filter(user=user).delete()
    recovery = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=recovery, token=code) for code in codes)
    access_log_write(actor=user, action=AccessAction.TWO_FACTOR_ENROLLED, obj=user)
    return codes


def two_factor_match(*, user, token: str):
    """The device that accepts this code (TOTP or a one-use recovery code), or None."""
    return match_token(user, token)
