import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from talkingmoves.audit.models import AccessLog
from talkingmoves.notify.models import StoredMessage
from tests.factories import TEST_PASSWORD

LOGIN = "/account/sign-in/"


def _login(client, email, password=TEST_PASSWORD, **extra):
    return client.post(LOGIN, {"username": email, "password": password, **extra})


def test_login_with_email_and_password(client, partnership_staff):
    response = _login(client, partnership_staff.email.upper())
    assert response.status_code == 302
    assert response.url == reverse("core:home")
    assert client.get(reverse("core:home")).status_code == 200
    assert AccessLog.objects.filter(actor=partnership_staff, action="login").count() == 1


def test_empty_login_form_shows_nhs_style_errors(client, db):
    response = client.post(LOGIN, {"username": "", "password": ""})
    content = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in content
    assert "Enter your email address" in content
    assert "Enter your password" in content
    assert "<title>Error: " in content


def test_wrong_password_keeps_the_email_entered(client, partnership_staff):
    response = _login(client, partnership_staff.email, "wrong-password")
    content = response.content.decode()
    assert "Enter a correct email address and password" in content
    assert f'value="{partnership_staff.email}"' in content
    assert "_auth_user_id" not in client.session


def test_account_locks_after_five_failures_for_fifteen_minutes(client, partnership_staff):
    for _ in range(5):
        _login(client, partnership_staff.email, "wrong-password")
    locked = _login(client, partnership_staff.email)  # even the right password
    assert locked.status_code == 429
    assert "Your account is locked for 15 minutes" in locked.content.decode()
    assert "_auth_user_id" not in client.session

    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert _login(client, partnership_staff.email).status_code == 302


def test_four_failures_do_not_lock(client, partnership_staff):
    for _ in range(4):
        _login(client, partnership_staff.email, "wrong-password")
    assert _login(client, partnership_staff.email).status_code == 302


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/steal", "//evil.example/", "http:\\\\evil.example"]
)
def test_login_refuses_open_redirect(client, partnership_staff, next_url):
    response = _login(client, partnership_staff.email, next=next_url)
    assert response.status_code == 302
    assert response.url == reverse("core:home")


def test_login_follows_a_local_next(client, partnership_staff):
    response = _login(client, partnership_staff.email, next="/privacy/")
    assert response.url == "/privacy/"


def test_sign_out_needs_post(client_for, partnership_staff):
    client = client_for(partnership_staff)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get(reverse("core:home")).status_code == 302


def test_password_reset_by_email(client, partnership_staff):
    response = client.post(reverse("accounts:password_reset"), {"email": partnership_staff.email})
    assert response.status_code == 302
    message = StoredMessage.objects.get(recipient=partnership_staff.email)
    link = re.search(
        r"https?://[^/]+(/account/password-reset/\S+/)", message.personalisation["body"]
    )
    assert link, message.personalisation["body"]

    form_page = client.get(link.group(1), follow=True)
    assert "Choose a new password" in form_page.content.decode()
    new_password = "a-brand-new-long-password"
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 302
    assert _login(client, partnership_staff.email, new_password).status_code == 302


def test_password_reset_for_unknown_email_sends_nothing_and_says_the_same(client, db):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert StoredMessage.objects.count() == 0


def test_password_reset_bad_input_keeps_what_was_typed(client, db):
    response = client.post(reverse("accounts:password_reset"), {"email": "not-an-email"})
    content = response.content.decode()
    assert "Enter an email address in the correct format" in content
    assert 'value="not-an-email"' in content


def test_short_new_password_is_refused(client, partnership_staff):
    client.post(reverse("accounts:password_reset"), {"email": partnership_staff.email})
    body = StoredMessage.objects.get().personalisation["body"]
    path = re.search(r"https?://[^/]+(/account/password-reset/\S+/)", body).group(1)
    form_url = client.get(path, follow=True).redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": "short", "new_password2": "short"})
    assert "This password is too short" in response.content.decode()
