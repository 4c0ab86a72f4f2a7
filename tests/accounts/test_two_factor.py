import re
from base64 import b32decode
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import signed_in_client
from tests.factories import totp_device_for

TWO_FACTOR = "/account/two-factor/"


def _code_for(device: TOTPDevice) -> str:
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits).token():06d}"


@pytest.mark.parametrize("role", ["clinician", "lead", "admin"])
def test_roles_that_see_clinical_data_must_verify_before_any_page(cast, role):
    client = signed_in_client(cast[role], verified=False)
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response.url.startswith(TWO_FACTOR)


@pytest.mark.parametrize("role", ["partnership", "provider"])
def test_roles_without_clinical_data_do_not_need_two_factor(cast, role):
    client = signed_in_client(cast[role], verified=False)
    assert client.get(reverse("core:home")).status_code == 200


def test_enrolment_shows_qr_code_then_recovery_codes(clinician):
    client = signed_in_client(clinician, verified=False)
    page = client.get(TWO_FACTOR)
    content = page.content.decode()
    assert "Set up two-factor authentication" in content
    assert "<svg" in content and "QR code for your authenticator app" in content
    device = TOTPDevice.objects.get(user=clinician, confirmed=False)

    wrong = client.post(
        TWO_FACTOR, {"token": "000000" if _code_for(device) != "000000" else "111111"}
    )
    assert "The security code is not correct" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=clinician, confirmed=True).exists()

    too_soon = client.post(TWO_FACTOR, {"token": _code_for(device)})
    assert re.search(
        r"You entered a wrong code. Wait \d seconds?, then try again", too_soon.content.decode()
    )

    # django-otp refuses codes for a moment after a wrong one.
    with time_machine.travel(timezone.now() + timedelta(seconds=3), tick=False):
        done = client.post(TWO_FACTOR, {"token": _code_for(device), "next": "/"})
    assert done.status_code == 302
    codes_page = client.get(done.url).content.decode()
    codes = re.findall(r"<li>([a-z0-9]{10})</li>", codes_page)
    assert len(codes) == 10
    assert set(codes) == set(
        StaticToken.objects.filter(device__user=clinician).values_list("token", flat=True)
    )
    assert client.get(reverse("core:home")).status_code == 200
    # Shown once only.
    assert client.get(reverse("accounts:recovery_codes")).status_code == 302


def test_enrolment_bad_input_keeps_what_was_typed(clinician):
    client = signed_in_client(clinician, verified=False)
    client.get(TWO_FACTOR)
    response = client.post(TWO_FACTOR, {"token": "12ab56"})
    content = response.content.decode()
    assert "Security code must only include numbers" in content
    assert 'value="12ab56"' in content


def test_verify_with_authenticator_code(clinician):
    device = totp_device_for(clinician)
    client = signed_in_client(clinician, verified=False)
    response = client.post(TWO_FACTOR, {"token": _code_for(device), "next": "/privacy/"})
    assert response.status_code == 302
    assert response.url == "/privacy/"
    assert client.get(reverse("core:home")).status_code == 200


def test_verify_refuses_open_redirect(clinician):
    device = totp_device_for(clinician)
    client = signed_in_client(clinician, verified=False)
    response = client.post(
        TWO_FACTOR, {"token": _code_for(device), "next": "https://evil.example/"}
    )
    assert response.url == reverse("core:home")


def test_wrong_code_is_refused(clinician):
    device = totp_device_for(clinician)
    client = signed_in_client(clinician, verified=False)
    wrong = "123456" if _code_for(device) != "123456" else "654321"
    response = client.post(TWO_FACTOR, {"token": wrong})
    assert "The security code is not correct" in response.content.decode()
    assert client.get(reverse("core:home")).status_code == 302


def test_empty_code_gets_a_clear_message(clinician):
    totp_device_for(clinician)
    client = signed_in_client(clinician, verified=False)
    content = client.post(TWO_FACTOR, {"token": ""}).content.decode()
    assert "Enter the security code from your authenticator app" in content
    assert "There is a problem" in content


def test_recovery_code_works_once(clinician):
    from django_otp.plugins.otp_static.models import StaticDevice

    totp_device_for(clinician)
    static = StaticDevice.objects.create(user=clinician, name="Recovery codes")
    static.token_set.create(token="abcdefghjk")

    client = signed_in_client(clinician, verified=False)
    assert client.post(TWO_FACTOR, {"token": "abcdefghjk"}).status_code == 302

    again = signed_in_client(clinician, verified=False)
    response = again.post(TWO_FACTOR, {"token": "abcdefghjk"})
    assert "The security code is not correct" in response.content.decode()


def test_demo_secret_matches_the_published_key():
    from talkingmoves.demo.management.commands.seed_demo import DEMO_TOTP_KEY_HEX

    assert bytes.fromhex(DEMO_TOTP_KEY_HEX) == b32decode("JBSWY3DPEHPK3PXP")


def test_public_pages_stay_public_before_two_factor(clinician):
    client = signed_in_client(clinician, verified=False)
    assert client.get(reverse("core:accessibility")).status_code == 200
    assert client.get("/api/oruk/services").status_code == 200
