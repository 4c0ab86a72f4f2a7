"""The service lead's dashboard tests share one small cast of service users whose every
figure is worked out by hand in the tests."""

import random
from datetime import date, timedelta

import pytest

from outcomes.models import Episode
from outcomes.services import episodes_recompute
from referrals.models import Referral, ReferralEvent
from referrals.nudges.models import Nudge, NudgeResponse
from tests.dashboards.lead_cast import at, attended, episode_with, referral
from tests.outcomes.factories import EpisodeFactory
from tests.providers.factories import ActivityFactory, activity_type
from tests.referrals.factories import ServiceUserFactory


@pytest.fixture
def cast_of_people(clinician, other_clinician):
    """A-H in the lead's service, one person in another service, as the docstrings say."""
    service = clinician.organisation
    walk = ActivityFactory(
        name="Park walk", takes_referrals=True, referral_email="walk@example.org.uk"
    )
    walk.provider.name = "Riverside Walks"
    walk.provider.save()
    swim = ActivityFactory(
        name="Quiet swim",
        activity_type=activity_type("Swimming"),
        takes_referrals=True,
        referral_email="swim@example.org.uk",
    )
    swim.provider.name = "Hillside Pool"
    swim.provider.save()

    names = iter(range(100))

    def person(**kwargs):
        # Distinctive names, so "no one is named" cannot pass or fail by accident ("Day").
        return ServiceUserFactory(
            service=service,
            assigned_clinician=clinician,
            family_name=f"Zedfamily{next(names)}",
            **kwargs,
        )

    # A: took up; recovered and reliably improved (15/12 -> 5/4, 3 sessions). Replied in 2
    # days, first session 7 days after sending.
    a = person(gender="2", date_of_birth=date(1990, 6, 1), ethnic_category="A", step=2)
    episode_with(a, first=(15, 12), last=(5, 4), sessions=3, ended_on=date(2025, 6, 30))
    ref = referral(a, walk, status="attending", sent=date(2025, 3, 1), answered_days=2)
    attended(ref, date(2025, 3, 8))
    referral(a, swim, status="declined", sent=date(2024, 12, 1), answered_days=1)  # too early
    # B: took up and completed; still at caseness (12/9 -> 11/9, 2 sessions). Replied in 1 day,
    # first session after 3 days.
    b = person(gender="2", ethnic_category="H", step=3, has_disability_or_ltc=True)
    episode_with(b, first=(12, 9), last=(11, 9), sessions=2, ended_on=date(2025, 7, 31))
    ref = referral(b, walk, status="completed", sent=date(2025, 4, 1), answered_days=1)
    attended(ref, date(2025, 4, 4))
    attended(ref, date(2025, 4, 11))
    # C: referred, declined by the pool in 2 days; recovered (16/10 -> 8/6).
    c = person(gender="1", step=2, has_disability_or_ltc=False)
    episode_with(c, first=(16, 10), last=(8, 6), sessions=4, ended_on=date(2025, 9, 30))
    referral(c, swim, status="declined", sent=date(2025, 5, 1), answered_days=2)
    # D: not referred; reliably deteriorated (10/8 -> 16/12).
    d = person(step=3)
    episode_with(d, first=(10, 8), last=(16, 12), sessions=2, ended_on=date(2025, 10, 31))
    # E: not referred; one session only, so in no outcome denominator.
    e = person()
    episode_with(e, first=(18, 14), last=(6, 3), sessions=1, ended_on=date(2025, 11, 30))
    # F: signposted and took it up; no episode.
    f = person()
    referral(f, walk, status="taken_up", sent=date(2025, 6, 1), kind="signpost")
    # G: accepted, then withdrawn (the history says it was accepted); replied in 4 days.
    g = person()
    ref = referral(g, walk, status="withdrawn", sent=date(2025, 7, 1), answered_days=4)
    Referral.objects.filter(pk=ref.pk).update(accepted_at=ref.answered_at)
    ReferralEvent.objects.create(
        referral=ref, from_status="sent", to_status="accepted", actor=clinician
    )
    # H: an open episode and a draft referral (never sent, so not referred).
    h = person()
    EpisodeFactory(service_user=h, referral_received_on=date(2025, 9, 1))
    referral(h, swim, status="draft", sent=date(2025, 9, 2))
    # I: an episode that ended before the period; J: one that ended after it.
    i = person()
    episode_with(i, first=(20, 15), last=(2, 2), sessions=5, ended_on=date(2024, 12, 20),
                 received=date(2024, 10, 1))  # fmt: skip
    j = person()
    episode_with(j, first=(20, 15), last=(2, 2), sessions=5, ended_on=date(2026, 1, 20))
    # Another service's person, referred and recovered: never counted.
    outsider = ServiceUserFactory(
        service=other_clinician.organisation,
        assigned_clinician=other_clinician,
        family_name="Zedoutsider",
    )
    episode_with(outsider, first=(20, 15), last=(2, 2), sessions=5, ended_on=date(2025, 5, 1))
    ref = referral(outsider, walk, status="attending", sent=date(2025, 3, 1), answered_days=2)
    attended(ref, date(2025, 3, 2))

    # Follow-up messages to A: three sent or delivered in 2025 (one answered "went"), one
    # failed, one to the provider: 1 answered of 3.
    def nudge(status, audience="service_user", sent=date(2025, 3, 2), person=a):
        return Nudge.objects.create(
            service=service, audience=audience, template="did_you_go", service_user=person,
            due_at=at(sent), status=status, sent_at=at(sent) if status != "failed" else None,
        )  # fmt: skip

    NudgeResponse.objects.create(nudge=nudge("delivered"), answer="went")
    nudge("sent")
    nudge("delivered", sent=date(2025, 4, 2))
    nudge("failed")
    nudge("sent", audience="provider")
    other = Nudge.objects.create(
        service=other_clinician.organisation, audience="service_user", template="did_you_go",
        service_user=outsider, due_at=at(date(2025, 3, 2)), status="sent",
        sent_at=at(date(2025, 3, 2)),
    )  # fmt: skip
    NudgeResponse.objects.create(nudge=other, answer="stop")
    # The rows above skip the referral services (and so their hooks): recompute every
    # episode's activity group, as the services and `recompute_outcomes` would.
    episodes_recompute(Episode.objects.all())
    return service


@pytest.fixture
def more_people(cast_of_people, clinician):
    """Forty more episodes with scattered dates, scores and uptake, for the sums to meet
    every bucket: some still open, some in each group, small groups and larger ones."""
    rng = random.Random(13)
    walk = ActivityFactory(takes_referrals=True, referral_email="more@example.org.uk")
    scores = [((15, 12), (5, 4)), ((12, 9), (11, 9)), ((10, 8), (16, 12)), ((6, 5), (4, 3))]
    for n in range(40):
        person = ServiceUserFactory(service=clinician.organisation, assigned_clinician=clinician)
        received = date(2025, 1, 6) + timedelta(days=rng.randint(0, 330))
        if n % 5 == 0:
            EpisodeFactory(service_user=person, referral_received_on=received, step=2 + n % 2)
            continue
        ended = received + timedelta(days=rng.randint(20, 200))
        first, last = rng.choice(scores)
        episode_with(person, first=first, last=last, sessions=rng.choice([0, 1, 2, 3]),
                     ended_on=ended, received=received)  # fmt: skip
        if n % 3:
            sent = received + timedelta(days=3)
            ref = referral(person, walk, status="attending", sent=sent)
            if n % 2:
                attended(ref, sent + timedelta(days=5))
    episodes_recompute(Episode.objects.all())
    return cast_of_people
