"""The outcomes tests: someone in treatment, and their open episode."""

from datetime import UTC, date, datetime

import pytest

from tests.outcomes.factories import EpisodeFactory
from tests.referrals.factories import ServiceUserFactory


@pytest.fixture
def person(clinician):
    # Overrides the person in tests/conftest.py: no referral in sight, only consent to email
    # (for the questionnaire links), recorded before the episode began.
    return ServiceUserFactory(
        service=clinician.organisation,
        assigned_clinician=clinician,
        given_name="Grace",
        family_name="Hopper",
        consent_email_at=datetime(2026, 1, 5, 10, tzinfo=UTC),
    )


@pytest.fixture
def episode(person, clinician):
    """Opened by the clinician on 5 January 2026; nothing recorded yet."""
    return EpisodeFactory(
        service_user=person, referral_received_on=date(2026, 1, 5), created_by=clinician
    )
