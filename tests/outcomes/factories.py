"""Factories for outcomes rows. Measures built here go straight to the database (for
selectors and dashboards); the services are tested through `outcomes.services`."""

from datetime import date

import factory

from outcomes.models import Appointment, Episode, Measure
from tests.referrals.factories import ServiceUserFactory


class EpisodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Episode

    service_user = factory.SubFactory(ServiceUserFactory)
    service = factory.SelfAttribute("service_user.service")
    referral_received_on = date(2026, 1, 5)
    referral_source = "A1"
    step = 2


class AppointmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appointment

    episode = factory.SubFactory(EpisodeFactory)
    on = date(2026, 1, 12)
    kind = Appointment.Kind.TREATMENT
    attendance = Appointment.Attendance.ATTENDED


def measure(episode, kind, items, *, on, by=None, source="clinician") -> Measure:
    """A PHQ-9 / GAD-7 / WSAS / activity-days row with its derived total."""
    row = Measure(
        episode=episode,
        kind=kind,
        taken_on=on,
        source=source,
        recorded_by=by
        or (episode.service_user.assigned_clinician if source == "clinician" else None),
        total=sum(i for i in items if i is not None),
    )
    for n, value in enumerate(items, start=1):
        setattr(row, f"item_{n}", value)
    row.save()
    return row


def phq9_items(total: int, item_9: int = 0) -> list[int]:
    """Nine answers summing to `total`, with item 9 as given."""
    rest = total - item_9
    items = []
    for _ in range(8):
        step = min(3, rest)
        items.append(step)
        rest -= step
    assert rest == 0, "total too high for item_9"
    return [*items, item_9]


def gad7_items(total: int) -> list[int]:
    items, rest = [], total
    for _ in range(7):
        step = min(3, rest)
        items.append(step)
        rest -= step
    assert rest == 0
    return items
