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
from outcomes.services.uptake import offers_of
from talkingmoves.core.compiled_query import CompiledValues, an_id

# What uptake.score_pairs reads of a measure, without building Measure rows.
Score = namedtuple("Score", "kind taken_on recorded_at pk total")

# Compiled once (talkingmoves/core/compiled_query.py): this runs inside every send of a
# referral, and building and compiling the statements took longer than running them.
EPISODE_COLUMNS = ("pk", "service_id", "referral_received_on", "ended_on", "activity_group")
_EPISODES = CompiledValues(
    lambda _shape, *, person: Episode.objects.filter(service_user_id=person).values(
        *EPISODE_COLUMNS
    ),
    person=an_id(),
)
_SCORES = CompiledValues(
    lambda _shape, *, person: Measure.objects.filter(
        episode__service_user_id=person, kind__in=uptake.PAIRED_KINDS
    ).values("episode_id", *Score._fields),
    person=an_id(),
)


def service_user_episodes_regroup(*, service_user_id: int) -> int:
    """Regroup every episode of one person, in the caller's transaction; returns how many
    episodes they have."""
    rows = _EPISODES.rows(person=service_user_id)
    episodes = [tuple(row[column] for column in EPISODE_COLUMNS) for row in rows]
    if not episodes:
        return 0
    scores = defaultdict(list)
    for row in _SCORES.rows(person=service_user_id):
        scores[row.pop("episode_id")].append(Score(**row))
    offers = offers_of(service_user_id)
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
