"""Staging with MESSAGES_DELIVERY=store: every signed-in page warns that nothing is sent;
service users and signed-out pages never see it."""

import pytest
from django.urls import reverse

BANNER = "Messages are not being sent"


@pytest.fixture
def storing(settings):
    settings.MESSAGES_NOT_SENT_WARNING = True


@pytest.mark.parametrize("role", ["clinician", "lead", "partnership", "provider", "admin"])
def test_every_role_sees_the_warning_on_every_page(storing, cast, client_for, role):
    client = client_for(cast[role])
    for url in (reverse("core:home"), reverse("core:accessibility")):
        content = client.get(url).content.decode()
        assert BANNER in content, f"{role} on {url}"
        assert 'class="nhsuk-warning-callout' in content


@pytest.mark.django_db
def test_signed_out_pages_do_not_show_it(storing, client):
    for url in (reverse("accounts:login"), reverse("core:privacy")):
        assert BANNER not in client.get(url).content.decode()


def test_no_warning_when_messages_are_sent(cast, client_for):
    content = client_for(cast["lead"]).get(reverse("core:home")).content.decode()
    assert BANNER not in content
