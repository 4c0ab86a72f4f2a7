"""Change in weekly active minutes (moderate-equivalent: vigorous minutes count double) from
an episode's first activity record to its latest, by Sport England's levels: inactive
(under 30 minutes a week), fairly active (30 to 149), active (150 or more).

Episodes count when their latest record is dated in the period and is not their first."""

from dataclasses import dataclass

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast

from outcomes import rules
from outcomes.dashboards.lead.measures.common import DatedPeriod, on_in
from outcomes.models import Episode, Measure
from outcomes.stats import Mean, mean_from_sums

FAIRLY_ACTIVE_FROM = rules.FAIRLY_ACTIVE_MINUTES
ACTIVE_FROM = rules.ACTIVE_MINUTES
INACTIVE, FAIRLY_ACTIVE, ACTIVE = "Inactive", "Fairly active", "Active"
LEVELS = [INACTIVE, FAIRLY_ACTIVE, ACTIVE]
LEVEL_NOTES = {
    INACTIVE: "under 30 minutes a week",
    FAIRLY_ACTIVE: "30 to 149 minutes a week",
    ACTIVE: "150 minutes or more a week",
}


def _level(minutes: str):
    return Case(
        When(**{f"{minutes}__lt": FAIRLY_ACTIVE_FROM}, then=Value(INACTIVE)),
        When(**{f"{minutes}__lt": ACTIVE_FROM}, then=Value(FAIRLY_ACTIVE)),
        default=Value(ACTIVE),
        output_field=CharField(),
    )


@dataclass(frozen=True)
class LevelChange:
    people: int
    # (level at the first record, level at the latest): episodes
    moves: dict[tuple[str, str], int]
    minutes_change: Mean

    def at_first(self, level: str) -> int:
        return sum(n for (first, _), n in self.moves.items() if first == level)

    def at_latest(self, level: str) -> int:
        return sum(n for (_, latest), n in self.moves.items() if latest == level)

    @property
    def moved_up(self) -> int:
        return sum(n for (a, b), n in self.moves.items() if LEVELS.index(b) > LEVELS.index(a))

    @property
    def moved_down(self) -> int:
        return sum(n for (a, b), n in self.moves.items() if LEVELS.index(b) < LEVELS.index(a))

    @property
    def stayed(self) -> int:
        return self.people - self.moved_up - self.moved_down


def activity_level_change(service_id, period: DatedPeriod) -> LevelChange:
    records = Measure.objects.filter(episode=OuterRef("pk"), kind=Measure.Kind.ACTIVITY_MINUTES)
    first = records.order_by("taken_on", "recorded_at", "pk")
    latest = records.order_by("-taken_on", "-recorded_at", "-pk")
    episodes = (
        Episode.objects.filter(service_id=service_id)
        # A latest record in the period needs a record in the period: a cheap test first.
        .filter(Exists(records.filter(on_in("taken_on", period))))
        .annotate(
            first_pk=Subquery(first.values("pk")[:1]),
            latest_pk=Subquery(latest.values("pk")[:1]),
            latest_on=Subquery(latest.values("taken_on")[:1]),
        )
        .filter(on_in("latest_on", period))
        .exclude(first_pk=F("latest_pk"))
        .annotate(
            # Totals are small integers; their squares are not.
            first_minutes=Subquery(first.values(minutes=Cast("total", IntegerField()))[:1]),
            latest_minutes=Subquery(latest.values(minutes=Cast("total", IntegerField()))[:1]),
        )
        .annotate(change=F("latest_minutes") - F("first_minutes"))
    )
    moves = {
        (row["first_level"], row["latest_level"]): row["n"]
        for row in episodes.annotate(
            first_level=_level("first_minutes"), latest_level=_level("latest_minutes")
        )
        .values("first_level", "latest_level")
        .annotate(n=Count("pk"))
        .order_by()
    }
    sums = episodes.aggregate(
        n=Count("pk"),
        total=Sum("change"),
        squares=Sum(F("change") * F("change")),
    )
    change = mean_from_sums(sums["n"], sums["total"], sums["squares"])
    return LevelChange(people=sums["n"], moves=moves, minutes_change=change)
