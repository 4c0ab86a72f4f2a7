"""What the risk-alert tests share: the duty contact, a colleague who enters the flag, and
ways to deliver and read the alerts. Fixtures are imported by name."""

from datetime import UTC, datetime

import pytest

from outcomes import services
from outcomes.models import RiskAlert, RiskFlag
from referrals.nudges import delivery
from talkingmoves.notify.models import StoredMessage
from tests.factories import ClinicianFactory, with_duty_contact
from tests.outcomes.factories import phq9_items

R = RiskAlert.Reason
DUTY = "duty@example.nhs.uk"
MONDAY_10 = "2026-03-02 10:00Z"
FRIDAY_16 = "2026-03-06 16:00Z"  # GMT: London time is UTC until 29 March


def at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@pytest.fixture(name="duty")
def duty_fixture(clinician):
    return with_duty_contact(clinician.organisation, DUTY)


@pytest.fixture(name="colleague")
def colleague_fixture(clinician):
    """Another clinician of the same service, not the person's assigned clinician."""
    return ClinicianFactory(organisation=clinician.organisation, email="colleague@example.nhs.uk")


def flag_by_colleague(episode, colleague, item_9=1) -> RiskFlag:
    services.measure_record(
        episode=episode,
        kind="phq9",
        taken_on=datetime.now(UTC).date(),
        answers=phq9_items(9 + item_9, item_9=item_9),
        by=colleague,
    )
    return RiskFlag.objects.get()


def deliver_all() -> dict[str, str]:
    return {str(pk): delivery.deliver(pk) for pk in delivery.claim_due()}


def recipients(flag, reason=None) -> set[tuple]:
    rows = flag.alerts.all() if reason is None else flag.alerts.filter(reason=reason)
    return {(a.recipient_user_id, a.recipient_email, a.reason) for a in rows}


def emails_to(address) -> list[StoredMessage]:
    return list(StoredMessage.objects.filter(recipient=address).order_by("created_at"))
