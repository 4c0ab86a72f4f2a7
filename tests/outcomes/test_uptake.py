"""An episode's activity group: activity during the episode, up to the date that closes its
pair of scores, recorded by the provider; kept in step as referrals and attendance change."""

import importlib
import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.core.management import call_command

from outcomes import services as outcome_services
from outcomes.models import Episode
from outcomes.uptake import Offer, activity_group, pair_closed_on, score_pairs, window_end
from referrals.models import Attendance, Referral
from referrals.nudges import answers
from referrals.pathway import services
from talkingmoves.vocabulary.uptake import ActivityGroup
from tests.factories import ProviderOrganisationFactory, ProviderStaffFactory
from tests.outcomes.factories import EpisodeFactory, gad7_items, measure, phq9_items
from tests.providers.factories import ActivityFactory, ProviderFactory, VenueFactory
from tests.referrals.factories import ServiceUserFactory, with_consent_and_clear_screening

G = ActivityGroup
LONDON = ZoneInfo("Europe/London")
START = date(2026, 1, 5)
CLOSES = date(2026, 2, 20)  # the last paired PHQ-9 and GAD-7, unless a test says otherwise


def d(month: int, day: int) -> date:
    return date(2026, month, day)


# --- The definition, on dates alone ---------------------------------------------------------


@pytest.mark.parametrize(
    ("offers", "group"),
    [
        ([], G.NOT_REFERRED),
        ([Offer(made_on=d(1, 10))], G.NOT_TAKEN_UP),
        # The provider's register, inside the window.
        ([Offer(made_on=d(1, 10), provider_sessions=(d(1, 20),))], G.TOOK_UP),
        # On the episode's first day and on the day the pair closed: both inside.
        ([Offer(made_on=START, provider_sessions=(d(2, 20),))], G.TOOK_UP),
        # Only after the last paired score (though before discharge): could not have
        # changed the outcome.
        ([Offer(made_on=d(1, 10), provider_sessions=(d(2, 21),))], G.NOT_TAKEN_UP),
        # Only the person's word.
        ([Offer(made_on=d(1, 10), self_reported=(d(1, 20),))], G.SELF_REPORTED),
        # Both: the provider's record decides.
        (
            [
                Offer(made_on=d(1, 10), self_reported=(d(1, 20),)),
                Offer(made_on=d(1, 12), provider_sessions=(d(2, 1),)),
            ],
            G.TOOK_UP,
        ),
        # A referral from before the episode (an earlier one's), attended during this one.
        ([Offer(made_on=d(1, 4), provider_sessions=(d(1, 20),))], G.NOT_REFERRED),
        # Referred after the pair closed: not referred during the part that counts.
        ([Offer(made_on=d(2, 21))], G.NOT_REFERRED),
        # Attended before the episode started, on a referral made... before it: not counted.
        ([Offer(made_on=d(1, 1), provider_sessions=(d(1, 2),))], G.NOT_REFERRED),
    ],
)
def test_activity_group_from_dates(offers, group):
    assert activity_group(start=START, end=d(2, 20), offers=offers) == group


def test_an_open_window_counts_everything_from_the_start():
    offers = [Offer(made_on=d(1, 10), provider_sessions=(d(6, 1),))]
    assert activity_group(start=START, end=None, offers=offers) == G.TOOK_UP


class Row:
    """A measure as score_pairs reads it (a model instance, or a historical one)."""

    def __init__(self, kind, taken_on, total=10, pk=None):
        self.kind, self.taken_on, self.total, self.pk = kind, taken_on, total, pk
        self.recorded_at = datetime(2026, 1, 1, tzinfo=LONDON)


def test_the_window_ends_when_the_pair_closes_else_at_discharge():
    measures = [
        Row("phq9", d(1, 5)),
        Row("gad7", d(1, 5)),
        Row("phq9", d(2, 10)),
        Row("gad7", d(2, 12)),  # the later of the two last scores closes the pair
        Row("phq9", d(3, 30)),  # after discharge: not in the outcome
    ]
    pairs = score_pairs(measures, d(3, 1))
    assert pair_closed_on(pairs) == d(2, 12)
    assert window_end(ended_on=d(3, 1), paired_on=d(2, 12)) == d(2, 12)
    unpaired = score_pairs(measures[:3], d(3, 1))  # one GAD-7 only
    assert pair_closed_on(unpaired) is None
    assert window_end(ended_on=d(3, 1), paired_on=None) == d(3, 1)
    assert window_end(ended_on=None, paired_on=None) is None


# --- Kept in step by the services and the referrals hooks ------------------------------------


def travel(day: date, hour: int = 12):
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, tzinfo=LONDON))


@pytest.fixture(name="activity")
def activity_fixture(db):
    provider = ProviderFactory(organisation=ProviderOrganisationFactory())
    return ActivityFactory(
        venue=VenueFactory(provider=provider),
        takes_referrals=True,
        referral_email="referrals@riverside.example",
    )


@pytest.fixture
def person(clinician):
    su = ServiceUserFactory(service=clinician.organisation, assigned_clinician=clinician)
    return with_consent_and_clear_screening(su, by=clinician)


def paired_episode(person, *, start=START, closes=CLOSES, ended_on=None) -> Episode:
    episode = EpisodeFactory(service_user=person, referral_received_on=start, ended_on=ended_on)
    if ended_on:
        Episode.objects.filter(pk=episode.pk).update(ending_reason="46")
    for kind, items in (("phq9", phq9_items), ("gad7", gad7_items)):
        measure(episode, kind, items(14), on=start)
        measure(episode, kind, items(6), on=closes)
    return outcome_services.episode_recompute(episode=episode)


def refer(person, activity, clinician, *, on: date) -> Referral:
    with travel(on):
        referral = services.referral_create(
            service_user=person, activity=activity, kind="refer", by=clinician
        )
        return services.referral_send(referral=referral, by=clinician)


def accept(referral, *, on: date) -> Referral:
    staff = ProviderStaffFactory(organisation=referral.activity.provider.organisation)
    with travel(on):
        return services.referral_accept(referral=referral, by=staff, first_session_at=None)


def register(referral, session: date, *, on: date, status="attended"):
    staff = ProviderStaffFactory(organisation=referral.activity.provider.organisation)
    with travel(on):
        services.attendance_record(referral=referral, session_date=session, status=status, by=staff)


def group_of(episode) -> str:
    return Episode.objects.values_list("activity_group", flat=True).get(pk=episode.pk)


@pytest.mark.django_db
def test_sending_a_referral_makes_the_episode_referred(person, activity, clinician):
    episode = paired_episode(person)
    assert group_of(episode) == G.NOT_REFERRED
    with travel(d(1, 8)):
        draft = services.referral_create(
            service_user=person, activity=activity, kind="refer", by=clinician
        )
    assert group_of(episode) == G.NOT_REFERRED  # a draft is not a referral
    with travel(d(1, 9)):
        services.referral_send(referral=draft, by=clinician)
    assert group_of(episode) == G.NOT_TAKEN_UP


@pytest.mark.django_db
def test_the_providers_register_within_the_window_is_uptake(person, activity, clinician):
    episode = paired_episode(person)
    referral = accept(refer(person, activity, clinician, on=d(1, 10)), on=d(1, 12))
    register(referral, d(1, 19), on=d(1, 19))
    assert group_of(episode) == G.TOOK_UP


@pytest.mark.django_db
def test_attendance_recorded_late_moves_an_ended_episode(person, activity, clinician):
    """The provider fills in the register after discharge: the recompute still fires, and
    the session (in the window) counts."""
    referral = accept(refer(person, activity, clinician, on=d(1, 10)), on=d(1, 12))
    episode = paired_episode(person, ended_on=d(2, 27))
    assert group_of(episode) == G.NOT_TAKEN_UP
    register(referral, d(1, 26), on=d(3, 2), status="did_not_attend")
    assert group_of(episode) == G.NOT_TAKEN_UP  # a missed session is not uptake
    register(referral, d(1, 26), on=d(3, 2))  # corrected: attended after all
    assert group_of(episode) == G.TOOK_UP


@pytest.mark.django_db
def test_activity_after_the_last_paired_score_or_after_discharge_is_not_uptake(
    person, activity, clinician
):
    referral = accept(refer(person, activity, clinician, on=d(1, 10)), on=d(1, 12))
    episode = paired_episode(person, closes=d(2, 20), ended_on=d(2, 27))
    register(referral, d(2, 24), on=d(2, 24))  # after the pair closed, before discharge
    register(referral, d(3, 1), on=d(3, 1))  # after discharge
    assert group_of(episode) == G.NOT_TAKEN_UP


@pytest.mark.django_db
def test_self_reported_only_is_its_own_group(person, activity, clinician):
    episode = paired_episode(person)
    referral = accept(refer(person, activity, clinician, on=d(1, 10)), on=d(1, 12))
    nudge = referral.nudges.get(template="did_you_go")
    with travel(d(1, 20)):
        answers.nudge_answer(nudge=nudge, answer="went")
    assert Attendance.objects.get(referral=referral).source == Attendance.SOURCE_SELF_REPORTED
    assert group_of(episode) == G.SELF_REPORTED
    # The provider's register then confirms a session: uptake.
    register(referral, d(1, 27), on=d(1, 28))
    assert group_of(episode) == G.TOOK_UP


@pytest.mark.django_db
def test_a_signposting_the_clinician_marks_taken_up_is_the_persons_word(
    person, activity, clinician
):
    episode = paired_episode(person)
    with travel(d(1, 10)):
        signposting = services.referral_create(
            service_user=person, activity=activity, kind="signpost", by=clinician
        )
    assert group_of(episode) == G.NOT_TAKEN_UP
    with travel(d(1, 30)):
        services.referral_move(
            referral=signposting, to="taken_up", by=clinician, expected_from="signposted"
        )
    assert group_of(episode) == G.SELF_REPORTED


@pytest.mark.django_db
def test_activity_from_an_earlier_episode_does_not_count_for_the_next(person, activity, clinician):
    referral = accept(refer(person, activity, clinician, on=d(1, 10)), on=d(1, 12))
    register(referral, d(1, 19), on=d(1, 19))
    first = paired_episode(person, start=d(1, 5), closes=d(2, 2), ended_on=d(2, 3))
    second = paired_episode(person, start=d(2, 10), closes=d(3, 30))
    # Still going to the sessions from the first episode's referral.
    register(referral, d(2, 17), on=d(2, 17))
    assert group_of(first) == G.TOOK_UP
    assert group_of(second) == G.NOT_REFERRED


@pytest.mark.django_db
def test_a_referral_on_the_day_an_episode_opens_counts_for_it(person, activity, clinician):
    refer(person, activity, clinician, on=d(1, 5))
    with travel(d(1, 5), hour=15):
        episode = outcome_services.episode_open(
            service_user=person,
            referral_received_on=d(1, 5),
            referral_source="A1",
            step=2,
            by=clinician,
        )
    assert group_of(episode) == G.NOT_TAKEN_UP


@pytest.mark.django_db
def test_the_migration_and_the_command_fill_the_column(person, activity, clinician):
    referral = accept(refer(person, activity, clinician, on=d(1, 10)), on=d(1, 12))
    register(referral, d(1, 19), on=d(1, 19))
    episode = paired_episode(person)
    Episode.objects.update(activity_group=G.NOT_REFERRED)  # as the new column starts
    migration = importlib.import_module("outcomes.migrations.0002_episode_activity_group")
    migration.fill_activity_groups(apps, None)
    assert group_of(episode) == G.TOOK_UP
    Episode.objects.update(activity_group=G.NOT_REFERRED)
    out = io.StringIO()
    call_command("recompute_outcomes", stdout=out)
    assert group_of(episode) == G.TOOK_UP
    assert out.getvalue().strip() == "Recomputed 1 episode."


@pytest.mark.django_db
def test_recomputing_many_matches_one_at_a_time(person, activity, clinician):
    referral = accept(refer(person, activity, clinician, on=d(1, 10)), on=d(1, 12))
    register(referral, d(1, 19), on=d(1, 19))
    episodes = [paired_episode(person, ended_on=d(2, 27))]
    other = ServiceUserFactory(service=person.service, assigned_clinician=clinician)
    episodes.append(paired_episode(other))
    assert outcome_services.episodes_recompute(episodes) == 2
    assert [group_of(e) for e in episodes] == [G.TOOK_UP, G.NOT_REFERRED]


@pytest.mark.django_db
def test_one_persons_compiled_offers_are_theirs_and_match_the_batch_read(
    person, activity, clinician
):
    """offers_of compiles its statements once: the second person's call reads their own."""
    from outcomes.services.uptake import offers_for, offers_of

    referral = accept(refer(person, activity, clinician, on=d(1, 10)), on=d(1, 12))
    register(referral, d(1, 19), on=d(1, 19))
    other = with_consent_and_clear_screening(
        ServiceUserFactory(service=person.service, assigned_clinician=clinician), by=clinician
    )
    refer(other, activity, clinician, on=d(2, 3))

    assert offers_of(person.pk) == [Offer(made_on=d(1, 10), provider_sessions=(d(1, 19),))]
    assert offers_of(other.pk) == [Offer(made_on=d(2, 3))]
    batch = offers_for([person.pk, other.pk])
    assert (offers_of(person.pk), offers_of(other.pk)) == (batch[person.pk], batch[other.pk])


@pytest.mark.django_db
def test_a_referral_move_leaves_episodes_and_facts_as_a_full_recompute_would(
    person, activity, clinician
):
    """Referral moves regroup only (services/episode_groups.py): after each, every column
    equals a recompute from scratch and the facts and episode activities have not drifted."""
    from outcomes.services.episode_activities import episode_activities_reconcile
    from outcomes.services.facts import episode_facts_rebuild

    first = paired_episode(person, start=d(1, 5), closes=d(2, 2), ended_on=d(2, 3))
    second = paired_episode(person, start=d(2, 10), closes=d(3, 30))
    other = ActivityFactory(
        venue=activity.venue, takes_referrals=True, referral_email="referrals@riverside.example"
    )

    def stored(episode):
        return Episode.objects.values(*outcome_services.OUTCOME_FIELDS).get(pk=episode.pk)

    def as_recomputed():
        before = [stored(first), stored(second)]
        drift = episode_facts_rebuild(service_id=person.service_id)
        assert (drift, episode_activities_reconcile()) == (0, 0)
        assert outcome_services.episodes_recompute([first, second]) == 2
        return before == [stored(first), stored(second)]

    referral = accept(refer(person, activity, clinician, on=d(1, 10)), on=d(1, 12))
    register(referral, d(1, 19), on=d(1, 19))
    assert as_recomputed() and group_of(first) == G.TOOK_UP
    refer(person, other, clinician, on=d(2, 12))  # the second episode is referred now
    assert as_recomputed() and group_of(second) == G.NOT_TAKEN_UP
    with travel(d(2, 14)):
        services.referral_move(
            referral=referral, to="completed", by=clinician, expected_from="attending"
        )
    assert as_recomputed()
