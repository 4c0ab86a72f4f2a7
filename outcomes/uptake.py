"""Which activity group an episode is in: pure functions over dates, no database.

The question the service lead's dashboard asks is "do people who took up physical activity
during their treatment recover more often?", so uptake is tied to the episode:

- The window runs from the episode's start (`referral_received_on`, the date the Talking
  Therapies referral was received) to the date that closes the pair of scores its outcome
  uses: the later of the last PHQ-9 and the last GAD-7 (on or before the episode's end).
  Activity after that date cannot have changed the outcome. Without a pair the window runs
  to the episode's end, and for an open episode without one, to today.
- Only referrals and signposting made in the window count (made on or after the episode's
  start and on or before the window's end; a referral counts once it was sent, a
  signposting once recorded; a draft never sent is not a referral). Activity on a referral
  from before the episode, such as an earlier episode's, does not count.
- **Took up**: a session the provider recorded as attended, dated in the window.
- **Self-reported activity only**: no such session, but the person said they went, dated in
  the window: "I went" through a message link, or a signposting the clinician marked as
  taken up (the date they marked it).
- **Referred, did not take up**: a referral or signposting in the window, and neither.
- **Not referred**: none in the window.

`score_pairs` is the one place that picks an episode's first and last PHQ-9 and GAD-7, for
the outcome columns and for the window alike. It reads any rows with `kind`, `taken_on`,
`recorded_at`, `pk` and `total` (model instances, including a migration's historical ones).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from talkingmoves.vocabulary.uptake import ActivityGroup

PAIRED_KINDS = ("phq9", "gad7")


@dataclass(frozen=True)
class Offer:
    """One referral or signposting of the person's, with the days they attended."""

    made_on: date
    provider_sessions: tuple[date, ...] = ()  # attended, on the provider's register
    self_reported: tuple[date, ...] = ()  # attended, in the person's own word


@dataclass(frozen=True)
class ScorePair:
    first: Any  # the measure row, or None
    last: Any  # None when there is only one administration


def score_pairs(measures: Iterable, ended_on: date | None) -> dict[str, ScorePair]:
    """The first and last PHQ-9 and GAD-7 of an episode: earliest and latest taken on or
    before its end (ties by when recorded). The same administration is never both."""
    rows: dict[str, list] = {kind: [] for kind in PAIRED_KINDS}
    for measure in measures:
        if measure.kind in rows and (ended_on is None or measure.taken_on <= ended_on):
            rows[measure.kind].append(measure)
    pairs = {}
    for kind, found in rows.items():
        found.sort(key=lambda m: (m.taken_on, m.recorded_at, m.pk or 0))
        pairs[kind] = ScorePair(
            first=found[0] if found else None, last=found[-1] if len(found) > 1 else None
        )
    return pairs


def pair_closed_on(pairs: dict[str, ScorePair]) -> date | None:
    """The date of the measure that completes the outcome's pair, or None without a pair."""
    if any(pair.first is None or pair.last is None for pair in pairs.values()):
        return None
    return max(pair.last.taken_on for pair in pairs.values())


def window_end(*, ended_on: date | None, paired_on: date | None) -> date | None:
    """The last day activity counts for: the pair's closing date, else the episode's end
    (None: open-ended, an open episode without a pair)."""
    return paired_on if paired_on is not None else ended_on


def activity_group(*, start: date, end: date | None, offers: Iterable[Offer]) -> ActivityGroup:
    def inside(day: date) -> bool:
        return start <= day and (end is None or day <= end)

    in_window = [offer for offer in offers if inside(offer.made_on)]
    if any(inside(day) for offer in in_window for day in offer.provider_sessions):
        return ActivityGroup.TOOK_UP
    if any(inside(day) for offer in in_window for day in offer.self_reported):
        return ActivityGroup.SELF_REPORTED
    if in_window:
        return ActivityGroup.NOT_TAKEN_UP
    return ActivityGroup.NOT_REFERRED
