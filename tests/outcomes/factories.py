"""Factories for outcomes rows. Measures built here go straight to the database (for
selectors and dashboards); the services are tested through `outcomes.services`. An episode's
outcome columns are never written here: `episode_recompute` derives them through
`outcomes.rules`, as the services do."""

from datetime import date, timedelta

import factory

from outcomes import services
from outcomes.models import Appointment, Episode, Measure, RiskFlag
from outcomes.services.appointment_facts import episodes_appointment_facts_refresh
from tests.referrals.factories import ServiceUserFactory

# Paired first and last (PHQ-9, GAD-7) totals for the outcome traits.
RECOVERED = ((15, 12), (5, 4))  # a case at the start (>= 10 / >= 8), not at the end
NOT_RECOVERED = ((12, 9), (11, 9))  # still a case at the end


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


def _course(episode, create, extracted, *, scores=None, sessions=0):
    """Scores at the referral date and (if ended) at the end, `sessions` attended weekly
    treatment appointments, then the outcome columns recomputed by the service."""
    if not create:
        return
    if scores is not None:
        (first_phq9, first_gad7), (last_phq9, last_gad7) = scores
        last_on = episode.ended_on or episode.referral_received_on + timedelta(weeks=sessions + 1)
        for on, phq9, gad7 in (
            (episode.referral_received_on, first_phq9, first_gad7),
            (last_on, last_phq9, last_gad7),
        ):
            measure(episode, "phq9", phq9_items(phq9), on=on)
            measure(episode, "gad7", gad7_items(gad7), on=on)
    for n in range(1, sessions + 1):
        AppointmentFactory(episode=episode, on=episode.referral_received_on + timedelta(weeks=n))
    services.episode_recompute(episode=episode)
    if sessions:  # counted for the dashboards, as appointment_record counts its day
        episodes_appointment_facts_refresh([episode])


class EpisodeFactory(factory.django.DjangoModelFactory):
    """An open episode, referred on 5 January 2026, with nothing recorded yet.

    - `scores=((phq9, gad7), (phq9, gad7))`: first and last totals, recorded on the referral
      date and on the ending date; `sessions=n`: attended treatment appointments, a week apart;
    - `ended=True`: ended eight weeks after the referral, treatment completed;
    - `recovered=True`: ended, a case at the start and not at the end, after 3 sessions;
    - `not_recovered=True`: ended, still a case at the end, after 2 sessions.
    The stored outcome columns always come from `episode_recompute`.
    """

    class Meta:
        model = Episode
        skip_postgeneration_save = True

    class Params:
        scores = None
        sessions = 0
        ended = factory.Trait(
            ended_on=factory.LazyAttribute(lambda o: o.referral_received_on + timedelta(weeks=8)),
            ending_reason="46",
        )
        recovered = factory.Trait(ended=True, scores=RECOVERED, sessions=3)
        not_recovered = factory.Trait(ended=True, scores=NOT_RECOVERED, sessions=2)

    service_user = factory.SubFactory(ServiceUserFactory)
    service = factory.SelfAttribute("service_user.service")
    referral_received_on = date(2026, 1, 5)
    referral_source = "A1"
    step = 2

    course = factory.PostGeneration(_course)
    course__scores = factory.SelfAttribute("..scores")
    course__sessions = factory.SelfAttribute("..sessions")


class AppointmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appointment

    episode = factory.SubFactory(EpisodeFactory)
    on = date(2026, 1, 12)
    kind = Appointment.Kind.TREATMENT
    attendance = Appointment.Attendance.ATTENDED


class RiskFlagFactory(factory.django.DjangoModelFactory):
    """An open risk flag: a PHQ-9 of `phq9` with item 9 answered `item_9`, on `taken_on`."""

    class Meta:
        model = RiskFlag

    class Params:
        episode = factory.SubFactory(EpisodeFactory)
        phq9 = 14
        item_9 = 1
        taken_on = date(2026, 2, 1)

    measure = factory.LazyAttribute(
        lambda o: measure(o.episode, "phq9", phq9_items(o.phq9, item_9=o.item_9), on=o.taken_on)
    )
    service_user = factory.SelfAttribute("measure.episode.service_user")
