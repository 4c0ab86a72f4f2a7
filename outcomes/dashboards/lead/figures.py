"""The lead dashboard's figures for one service and period, computed together and kept for a
few minutes.

At the benchmark's size (a service with 270,000 activity referrals a year, about ten times a
large real service) computing them takes a few seconds, all in the database. Commissioning
figures do not need to be live to the second, so they are kept in a database cache table for
DASHBOARD_CACHE_SECONDS, and a beat task recomputes the default period (the last 12 months)
for every service before it expires: the page a lead opens first is always ready. The page
says when its figures were computed.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.utils import timezone

from outcomes.dashboards.db import analytics
from outcomes.dashboards.lead import comparison
from outcomes.dashboards.lead import equity as equity_sel
from outcomes.dashboards.lead import referral_counts as counts
from outcomes.dashboards.lead import selectors as sel
from outcomes.dashboards.lead.measures import completeness as comp
from outcomes.dashboards.lead.measures import engagement as eng
from outcomes.dashboards.lead.measures import waits
from outcomes.dashboards.periods import Period, default_period
from talkingmoves.accounts.models import Organisation

ROWS_SHOWN = 20
VERSION = 6  # bump when the figures' shape changes, so old cached copies are ignored

# Each part on its own: a section computes (and keeps) only the parts it shows, so the
# outcomes page never waits for the equity tables (lead/sections.py says which it needs).
PARTS = {
    "funnel": sel.referral_funnel,
    "nudges": sel.nudge_answer_rates,
    "outcomes": comparison.outcome_comparison,
    "equity": equity_sel.equity,
    "providers": lambda s, p: counts.referral_counts(s, p).performance(
        by=sel.BY_PROVIDER, limit=ROWS_SHOWN + 1
    ),
    "types": lambda s, p: counts.referral_counts(s, p).performance(
        by=sel.BY_ACTIVITY_TYPE, limit=ROWS_SHOWN + 1
    ),
    # The summary's measures: each reads the period's episodes or referral copies, which
    # grows with the service (0.8 s of the summary at a million service users).
    "treatment_wait": waits.treatment_wait,
    "activity_wait": waits.activity_wait,
    "uptake": eng.activity_uptake,
    "completeness": comp.paired_completeness,
}
ALL_PARTS = tuple(PARTS)
# The parts that are referral counts: when a section shows several, one pass counts them all
# (referral_counts.py) instead of one scan of the period's referrals each.
FROM_COUNTS = {
    "funnel": lambda c: c.funnel(),
    "providers": lambda c: c.performance(by=sel.BY_PROVIDER, limit=ROWS_SHOWN + 1),
    "types": lambda c: c.performance(by=sel.BY_ACTIVITY_TYPE, limit=ROWS_SHOWN + 1),
}


@dataclass(frozen=True)
class LeadFigures:
    """The parts asked for; the others are None."""

    computed_at: datetime  # of the oldest part shown
    funnel: sel.Funnel | None = None
    nudges: sel.NudgeAnswers | None = None
    outcomes: comparison.OutcomeComparison | None = None
    equity: equity_sel.Equity | None = None
    providers: list[sel.ReferralPerformance] | None = None  # one more than shown
    types: list[sel.ReferralPerformance] | None = None
    treatment_wait: waits.Wait | None = None
    activity_wait: waits.Wait | None = None
    uptake: eng.Uptake | None = None
    completeness: comp.Completeness | None = None


def _key(service_id, period: Period, part: str) -> str:
    return f"lead:v{VERSION}:{service_id}:{period.start}:{period.end}:{part}"


def _computed(service_id, period: Period, parts) -> dict[str, tuple[datetime, Any]]:
    """{part: (computed at, figures)}, in one analytics transaction."""
    with analytics():
        shared = None
        # One pass pays off from two referral parts on (the summary's funnel alone is
        # cheaper as its own aggregate).
        counted = sum(part in FROM_COUNTS for part in parts) > 1
        found: dict[str, tuple[datetime, Any]] = {}
        for part in parts:
            at = timezone.now()
            if counted and part in FROM_COUNTS:
                shared = shared or counts.referral_counts(service_id, period)
                found[part] = (at, FROM_COUNTS[part](shared))
            else:
                found[part] = (at, PARTS[part](service_id, period))
        return found


def _figures(found: dict[str, tuple[datetime, Any]]) -> LeadFigures:
    return LeadFigures(
        computed_at=min(at for at, _ in found.values()),
        **{part: value for part, (_, value) in found.items()},
    )


def compute(service_id, period: Period, parts=ALL_PARTS) -> LeadFigures:
    return _figures(_computed(service_id, period, parts))


def lead_figures(service_id, period: Period, parts=ALL_PARTS) -> LeadFigures:
    seconds = settings.DASHBOARD_CACHE_SECONDS
    if not seconds:
        return compute(service_id, period, parts)
    cache = caches["dashboards"]
    keys = {part: _key(service_id, period, part) for part in parts}
    kept = cache.get_many(list(keys.values()))
    found = {part: kept[key] for part, key in keys.items() if key in kept}
    missing = [part for part in parts if part not in found]
    if missing:
        fresh = _computed(service_id, period, missing)
        cache.set_many({keys[part]: value for part, value in fresh.items()}, seconds)
        found.update(fresh)
    return _figures(found)


def refresh_default_periods() -> int:
    """Recompute every service's default period (beat runs this more often than the cache
    expires). Returns how many services were refreshed."""
    seconds = settings.DASHBOARD_CACHE_SECONDS
    if not seconds:
        return 0
    period = default_period()
    cache = caches["dashboards"]
    services = Organisation.objects.filter(kind=Organisation.Kind.TALKING_THERAPIES)
    refreshed = 0
    for service_id in services.values_list("pk", flat=True):
        fresh = _computed(service_id, period, ALL_PARTS)
        cache.set_many({_key(service_id, period, part): v for part, v in fresh.items()}, seconds)
        refreshed += 1
    return refreshed
