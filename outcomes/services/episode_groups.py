"""A person's episodes regrouped after one of their referrals was made or moved.

That can move an episode between activity groups (outcomes/uptake.py), and nothing else:
its measures, appointments and sessions did not change, so neither did its other columns.
Only what the group is worked out from is read (the PHQ-9 and GAD-7 dates that close the
window, and the person's offers), and only a group that changed is written, with its
facts' days recounted and its activities recomputed as `episodes_recompute` does: both
add up episode columns and sessions, so an episode that stayed the same leaves them as
they are."""

from collections import defaultdict, namedtuple

from outcomes import uptake
from outcomes.models import Episode, Measure
from outcomes.services.episode_activities import episode_activities_refresh
from outcomes.services.episodes import episode_group
from outcomes.services.facts import episodes_facts_refresh
from outcomes.services.uptake import offers_for

# What uptake.score_pairs reads of a measure, without building Measure rows.
Score = namedtuple("Score", "kind taken_on recorded_at pk total")


def service_user_episodes_regroup(*, service_user_id: int) -> int:
    """Regroup every episode of one person, in the caller's transaction; returns how many
    episodes they have."""
    episodes = list(
        Episode.objects.filter(service_user_id=service_user_id).values_list(
            "pk", "service_id", "referral_received_on", "ended_on", "activity_group"
        )
    )
    if not episodes:
        return 0
    scores = defaultdict(list)
    measures = Measure.objects.filter(
        episode_id__in=[pk for pk, *_ in episodes], kind__in=uptake.PAIRED_KINDS
    ).values_list("episode_id", *Score._fields)
    for episode_id, *score in measures:
        scores[episode_id].append(Score(*score))
    offers = offers_for([service_user_id]).get(service_user_id, [])
    changed = []
    for pk, service_id, received_on, ended_on, group in episodes:
        pairs = uptake.score_pairs(scores[pk], ended_on)
        now = episode_group(received_on=received_on, ended_on=ended_on, pairs=pairs, offers=offers)
        if now != group:
            Episode.objects.filter(pk=pk).update(activity_group=now)
            changed.append((pk, (service_id, received_on, ended_on)))
    episodes_facts_refresh(days for _, days in changed)
    episode_activities_refresh(pk for pk, _ in changed)
    return len(episodes)
