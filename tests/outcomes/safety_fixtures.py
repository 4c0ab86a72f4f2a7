"""Fixtures for the risk-alert and measure-entry tests (no tests here). Import them by name:
they stand on their own, whichever conftest layout surrounds them."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core.cache import cache

from tests.factories import with_duty_contact
from tests.outcomes.factories import EpisodeFactory
from tests.referrals.factories import ServiceUserFactory

TODAY = date(2026, 3, 2)  # a Monday


@pytest.fixture(name="frozen")
def frozen_fixture():
    with time_machine.travel("2026-03-02 10:00Z", tick=False):
        yield


@pytest.fixture(name="fresh_cache")
def fresh_cache_fixture():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(name="person")
def person_fixture(clinician):
    """Assigned to the clinician, with consent to email (for questionnaire links)."""
    return ServiceUserFactory(
        service=clinician.organisation,
        assigned_clinician=clinician,
        given_name="Grace",
        family_name="Hopper",
        consent_email_at=datetime(2026, 1, 5, 10, tzinfo=UTC),
    )


@pytest.fixture(name="episode")
def episode_fixture(person, clinician):
    return EpisodeFactory(
        service_user=person, referral_received_on=date(2026, 1, 5), created_by=clinician
    )


@pytest.fixture(name="duty_contact")
def duty_contact_fixture(clinician):
    """The service's duty inbox: without one it cannot send questionnaire links."""
    return with_duty_contact(clinician.organisation)
