"""Fixtures shared by the outcomes recording tests (no tests here). Import them by name."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core.cache import cache

from tests.outcomes.factories import EpisodeFactory
from tests.referrals.factories import ServiceUserFactory

TODAY = date(2026, 3, 2)


@pytest.fixture(name="frozen")
def frozen_fixture():
    with time_machine.travel("2026-03-02 10:00Z", tick=False):
        yield


@pytest.fixture(name="person")
def person_fixture(clinician):
    return ServiceUserFactory(
        service=clinician.organisation,
        assigned_clinician=clinician,
        given_name="Grace",
        family_name="Hopper",
        consent_email_at=datetime(2026, 1, 5, 10, tzinfo=UTC),  # questionnaire links by email
    )


@pytest.fixture(name="episode")
def episode_fixture(person, clinician):
    return EpisodeFactory(
        service_user=person, referral_received_on=date(2026, 1, 5), created_by=clinician
    )


@pytest.fixture(name="fresh_cache", autouse=False)
def fresh_cache_fixture():
    cache.clear()
    yield
    cache.clear()
