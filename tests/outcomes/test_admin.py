"""The admin shows outcomes rows with derived columns read-only and adds none by hand."""

import pytest
from django.urls import reverse

from outcomes.models import OutcomeSettings
from tests.outcomes.factories import AppointmentFactory, RiskFlagFactory


@pytest.fixture
def rows(episode):
    AppointmentFactory(episode=episode)
    flag = RiskFlagFactory(episode=episode, phq9=12)
    OutcomeSettings.for_service(episode.service_id)
    return episode, flag.measure


@pytest.mark.parametrize(
    "model", ["episode", "measure", "riskflag", "outcomesettings", "measurerequest"]
)
def test_changelists_open(client_for, admin_user, rows, model):
    response = client_for(admin_user).get(reverse(f"admin:outcomes_{model}_changelist"))
    assert response.status_code == 200


def test_episode_outcome_columns_are_read_only_and_not_added_by_hand(client_for, admin_user, rows):
    episode, _ = rows
    client = client_for(admin_user)
    page = client.get(reverse("admin:outcomes_episode_change", args=[episode.pk])).content
    assert b'name="recovered"' not in page and b'name="first_phq9"' not in page
    # Read-only: an edit here would skip the services' checks and the outcome recompute.
    assert b'name="referral_received_on"' not in page
    assert client.get(reverse("admin:outcomes_episode_add")).status_code == 403
    assert client.get(reverse("admin:outcomes_measure_add")).status_code == 403


def test_measure_totals_cannot_be_edited(client_for, admin_user, rows):
    _, m = rows
    page = client_for(admin_user).get(reverse("admin:outcomes_measure_change", args=[m.pk]))
    assert page.status_code == 200
    assert b'name="item_1"' not in page.content and b'name="total"' not in page.content


def test_settings_are_created_on_demand_with_defaults(rows):
    episode, _ = rows
    settings_ = OutcomeSettings.for_service(episode.service_id)
    assert OutcomeSettings.objects.count() == 1
    assert (settings_.recovery_target, settings_.reliable_improvement_target) == (50, 67)
    assert settings_.reliable_recovery_target == 48
    assert "116 123" in settings_.crisis_support_text
