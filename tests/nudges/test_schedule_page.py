"""The service lead's schedule settings: which follow-up messages are sent, on which day and
by which channel."""

import pytest
from django.urls import reverse

from referrals.nudges.models import Nudge, NudgeSetting
from referrals.nudges.schedule import effective_settings

N = Nudge.Status


# --- The schedule settings -----------------------------------------------------------------


@pytest.mark.parametrize(
    "role,expected",
    [
        ("clinician", 403),
        ("other_clinician", 403),
        ("lead", 200),
        ("partnership", 403),
        ("provider", 403),
        ("admin", 403),
    ],
)
def test_schedule_permissions(cast, client_for, role, expected):
    assert client_for(cast[role]).get(reverse("nudges:schedule")).status_code == expected


def schedule_data(service_id, **changes) -> dict:
    from referrals.nudges.forms import configurable_templates

    data = {}
    current = effective_settings(service_id)
    for template in configurable_templates():
        enabled, days, channel = current[template.key]
        data[f"{template.key}-enabled"] = "on" if enabled else "off"
        data[f"{template.key}-offset_days"] = str(days)
        data[f"{template.key}-channel"] = channel or "preferred"
    data.update(changes)
    return data


@pytest.mark.django_db
def test_the_schedule_page_lists_every_configurable_message(client_for, lead):
    from referrals.nudges.messages import TEMPLATES

    html = client_for(lead).get(reverse("nudges:schedule")).content.decode()
    for template in TEMPLATES.values():
        shown = template.title in html or template.title.replace('"', "&quot;") in html
        assert shown == template.configurable, template.key
    assert "did_you_go-channel" in html and "provider_reminder-channel" not in html


@pytest.mark.django_db
def test_saving_the_schedule(client_for, lead):
    service_id = lead.organisation_id
    data = schedule_data(
        service_id,
        **{
            "getting_active-enabled": "on",
            "getting_active-offset_days": "5",
            "did_you_go-offset_days": "10",
            "did_you_go-channel": "sms",
            "check_in-enabled": "off",
        },
    )
    response = client_for(lead).post(reverse("nudges:schedule"), data)
    assert response.status_code == 302
    settings = effective_settings(service_id)
    assert settings["getting_active"] == (True, 5, "")
    assert settings["did_you_go"] == (True, 10, "sms")
    assert settings["check_in"][0] is False
    assert NudgeSetting.objects.get(service_id=service_id, template="did_you_go").updated_by == lead


@pytest.mark.django_db
@pytest.mark.parametrize(
    "field,value,message",
    [
        ("did_you_go-offset_days", "91", "Day must be between 0 and 90"),
        ("did_you_go-offset_days", "-1", "Day must be between 0 and 90"),
        ("did_you_go-offset_days", "seven", "Day must be a whole number"),
        ("did_you_go-offset_days", "", "Enter a day for"),
        ("did_you_go-enabled", "", "Select whether to send"),
        ("did_you_go-channel", "pigeon", "Select a valid choice"),
    ],
)
def test_bad_schedule_input_keeps_what_was_typed_and_saves_nothing(
    client_for, lead, field, value, message
):
    data = schedule_data(lead.organisation_id, **{"check_in-offset_days": "33", field: value})
    response = client_for(lead).post(reverse("nudges:schedule"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "nhsuk-error-summary" in html and message in html
    assert 'value="33"' in html  # what was typed elsewhere is kept
    if value and "offset" in field:
        assert f'value="{value}"' in html
    assert not NudgeSetting.objects.exists()


@pytest.mark.django_db
def test_the_schedule_page_refuses_other_methods(client_for, lead):
    assert client_for(lead).put(reverse("nudges:schedule")).status_code == 405
