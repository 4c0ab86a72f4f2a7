"""The accessibility statement and the privacy notice: open to everyone, linked from every
page's footer, and filled from settings, with anything the trust has not set clearly marked."""

import pytest
from django.templatetags.static import static
from django.urls import reverse

ROLES = ["clinician", "lead", "partnership", "provider", "admin"]
PUBLIC = ["core:accessibility", "core:privacy"]
PRIVACY_SETTINGS = {
    "PRIVACY_CONTROLLER_NAME": "Riverside NHS Foundation Trust",
    "PRIVACY_CONTROLLER_ADDRESS": "1 River Road, Leeds LS1 4AP",
    "PRIVACY_DPO_CONTACT": "dpo@riverside.nhs.uk",
    "PRIVACY_RETENTION": "8 years after the last contact",
    "PRIVACY_NOTICE_UPDATED": "1 April 2026",
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", PUBLIC)
def test_public_pages_open_signed_out(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert 'aria-label="Menu"' not in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", PUBLIC)
def test_public_pages_open_for_every_role(cast, client_for, role, name):
    response = client_for(cast[role]).get(reverse(name))
    assert response.status_code == 200
    assert 'aria-label="Menu"' in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("name", [*PUBLIC, "core:favicon"])
def test_public_pages_refuse_post(client, name):
    assert client.post(reverse(name)).status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["core:home", "core:accessibility", "accounts:login"])
def test_every_page_links_both_from_its_footer(client, cast, client_for, name):
    for each in (client, client_for(cast["lead"])):
        page = each.get(reverse(name), follow=True).content.decode()
        footer = page.split('class="nhsuk-footer"')[1]
        assert 'href="/accessibility/"' in footer and 'href="/privacy/"' in footer


@pytest.mark.django_db
def test_accessibility_statement_says_status_contact_date_and_known_issues(client, settings):
    settings.ACCESSIBILITY_CONTACT_EMAIL = "access@riverside.nhs.uk"
    settings.ACCESSIBILITY_CONTACT_PHONE = "0113 496 0000"
    settings.ACCESSIBILITY_STATEMENT_PREPARED = "5 December 2026"
    content = client.get(reverse("core:accessibility")).content.decode()
    assert "partially compliant" in content and "2.2</a> AA standard" in content
    assert "access@riverside.nhs.uk" in content and "0113 496 0000" in content
    assert "This statement was prepared on 5 December 2026" in content
    assert "How accessible this service is" in content and "Django's own admin pages" in content
    assert "To complete" not in content


@pytest.mark.django_db
def test_accessibility_statement_marks_a_missing_contact(client, settings):
    settings.ACCESSIBILITY_CONTACT_EMAIL = ""
    settings.ACCESSIBILITY_CONTACT_PHONE = ""
    content = client.get(reverse("core:accessibility")).content.decode()
    assert "[To complete: the email address that takes accessibility reports" in content
    assert "set ACCESSIBILITY_CONTACT_EMAIL" in content
    assert "phone:" not in content


@pytest.mark.django_db
def test_privacy_notice_template_marks_every_part_the_trust_fills_in(client, settings):
    for variable in PRIVACY_SETTINGS:
        setattr(settings, variable, "")
    content = client.get(reverse("core:privacy")).content.decode()
    assert "This notice is not complete" in content
    for variable in PRIVACY_SETTINGS:
        assert f"set {variable}]</strong>" in content, variable
    assert content.count('class="tm-placeholder"') == len(PRIVACY_SETTINGS)


@pytest.mark.django_db
def test_privacy_notice_filled_from_settings(client, settings):
    for variable, value in PRIVACY_SETTINGS.items():
        setattr(settings, variable, value)
    content = client.get(reverse("core:privacy")).content.decode()
    assert "This notice is not complete" not in content and "tm-placeholder" not in content
    assert "Riverside NHS Foundation Trust</strong>" not in content
    for value in PRIVACY_SETTINGS.values():
        assert value in content
    assert "ico.org.uk" in content


@pytest.mark.django_db
def test_privacy_notice_escapes_what_settings_hold(client, settings):
    settings.PRIVACY_CONTROLLER_NAME = "<script>alert(1)</script>"
    content = client.get(reverse("core:privacy")).content.decode()
    assert "<script>alert(1)" not in content and "&lt;script&gt;" in content


@pytest.mark.django_db
def test_favicon_redirects_to_the_static_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == static("vendor/nhsuk-frontend/assets/images/favicon.ico")


def test_deploy_check_warns_while_a_notice_is_incomplete(settings):
    from talkingmoves.core.checks import public_notices_complete

    for variable, value in PRIVACY_SETTINGS.items():
        setattr(settings, variable, value)
    settings.ACCESSIBILITY_CONTACT_EMAIL = "access@riverside.nhs.uk"
    assert public_notices_complete(None) == []

    settings.PRIVACY_RETENTION = ""
    warnings = public_notices_complete(None)
    assert [warning.id for warning in warnings] == ["core.W001"]
    assert "PRIVACY_RETENTION is not set" in warnings[0].msg
