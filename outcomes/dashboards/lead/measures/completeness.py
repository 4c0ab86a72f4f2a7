"""Paired-score completeness: of episodes that ended in the period, the share with a first
and a last PHQ-9 and GAD-7 (two different administrations of each). The national measure
counts those who finished treatment; all ended episodes are shown beside it."""

from dataclasses import dataclass

from django.db.models import Count, Q, Sum

from outcomes.dashboards.lead.measures.common import DatedPeriod, ended_in
from outcomes.models import Episode, EpisodeDayFact
from outcomes.stats import Rate

PAIRED_SCORES_TARGET = 0.9  # NHS Talking Therapies: 90% of those finishing treatment


def paired() -> Q:
    """The episode's outcome columns keep a last score only when it is not the first."""
    return Q(last_phq9__isnull=False, last_gad7__isnull=False)


@dataclass(frozen=True)
class Completeness:
    finished: Rate  # finished treatment: the national measure
    ended: Rate  # every episode that ended


def paired_completeness(service_id, period: DatedPeriod) -> Completeness:
    """From the episode facts by day (ADR 013): the period's rows added up. Equal to
    paired_completeness_raw."""
    figures = EpisodeDayFact.objects.filter(
        service_id=service_id, day__range=(period.start, period.end)
    ).aggregate(**{name: Sum(name) for name in COUNTED})
    figures = {name: int(value or 0) for name, value in figures.items()}
    return _completeness(figures)


COUNTED = ("ended", "ended_paired", "finished", "finished_paired")


def _completeness(figures: dict[str, int]) -> Completeness:
    return Completeness(
        finished=Rate(figures["finished_paired"], figures["finished"]),
        ended=Rate(figures["ended_paired"], figures["ended"]),
    )


def paired_completeness_raw(service_id, period: DatedPeriod) -> Completeness:
    """The same from the episodes themselves: the reference the tests compare with."""
    finished = Q(finished_treatment=True)
    figures = (
        Episode.objects.filter(service_id=service_id)
        .filter(ended_in(period))
        .aggregate(
            ended=Count("pk"),
            ended_paired=Count("pk", filter=paired()),
            finished=Count("pk", filter=finished),
            finished_paired=Count("pk", filter=finished & paired()),
        )
    )
    return _completeness(figures)
