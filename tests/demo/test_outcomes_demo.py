"""Demo outcomes: real computed figures the dashboards can show, made idempotently."""

from django.core.management import call_command
from django.db.models import Avg, Count, Q

from outcomes import services
from outcomes.models import Episode, Measure, RiskFlag
from referrals.models import ServiceUser


def test_demo_outcomes_are_believable_and_computed_by_the_rules(db):
    call_command("seed_demo")
    episodes = Episode.objects.all()
    assert episodes.count() == ServiceUser.objects.count() == 200
    assert episodes.values("service").distinct().count() == 2
    ended = episodes.filter(ended_on__isnull=False)
    assert 80 < ended.count() < 180
    figures = ended.aggregate(
        finished=Count("pk", filter=Q(finished_treatment=True)),
        one_session=Count("pk", filter=Q(treatment_sessions=1)),
        not_at_caseness=Count("pk", filter=Q(caseness_at_start=False)),
        recovered=Count("pk", filter=Q(recovered=True)),
        deteriorated=Count("pk", filter=Q(reliably_deteriorated=True)),
    )
    assert figures["finished"] > 40
    assert figures["one_session"] > 0
    assert figures["not_at_caseness"] > 0
    assert 0 < figures["recovered"] < figures["finished"]
    assert RiskFlag.objects.filter(reviewed_at__isnull=True).count() >= 2
    assert Measure.objects.filter(kind="activity_minutes").exists()
    assert Measure.objects.filter(source="self_completed").exists()
    # The stored columns are exactly what the live services compute.
    for episode in ended[:30]:
        stored = {name: getattr(episode, name) for name in services.OUTCOME_FIELDS}
        services.episode_recompute(episode=episode)
        assert stored == {name: getattr(episode, name) for name in services.OUTCOME_FIELDS}
    call_command("seed_demo")
    assert Episode.objects.count() == 200


def test_people_who_took_up_activity_improve_a_bit_more_on_average(db):
    from talkingmoves.demo.outcomes import _took_up_activity

    call_command("seed_demo")
    active = _took_up_activity()
    finished = Episode.objects.filter(finished_treatment=True, phq9_change__isnull=False)
    took_up = finished.filter(service_user_id__in=active).aggregate(m=Avg("phq9_change"))["m"]
    others = finished.exclude(service_user_id__in=active).aggregate(m=Avg("phq9_change"))["m"]
    assert took_up is not None and others is not None
    assert took_up < others  # a larger fall in PHQ-9
