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

from django.conf import settings
from django.core.cache import caches
from django.utils import timezone

from outcomes.dashboards.db import analytics
from outcomes.dashboards.lead import comparison
from outcomes.dashboards.lead import equity as equity_sel
from outcomes.dashboards.lead import selectors as sel
from outcomes.dashboards.periods import Period, default_period
from talkingmoves.accounts.models import Organisation

ROWS_SHOWN = 20
VERSION = 4  # bump when the figures' shape changes, so old cached copies are ignored


@dataclass(frozen=True)
class LeadFigures:
    computed_at: datetime
    funnel: sel.Funnel
    nudges: sel.NudgeAnswers
    outcomes: comparison.OutcomeComparison
    equity: equity_sel.Equity
    providers: list[sel.ReferralPerformance]  # one more than shown, to know if there are more
    types: list[sel.ReferralPerformance]


def _key(service_id, period: Period) -> str:
    return f"lead:v{VERSION}:{service_id}:{period.start}:{period.end}"


def compute(service_id, period: Period) -> LeadFigures:
    with analytics():
        return LeadFigures(
            computed_at=timezone.now(),
            funnel=sel.referral_funnel(service_id, period),
            nudges=sel.nudge_answer_rates(service_id, period),
            outcomes=comparison.outcome_comparison(service_id, period),
            equity=equity_sel.equity(service_id, period),
            providers=sel.referral_performance(
                service_id, period, by=sel.BY_PROVIDER, limit=ROWS_SHOWN + 1
            ),
            types=sel.referral_performance(
                service_id, period, by=sel.BY_ACTIVITY_TYPE, limit=ROWS_SHOWN + 1
            ),
        )


def lead_figures(service_id, period: Period) -> LeadFigures:
    seconds = settings.DASHBOARD_CACHE_SECONDS
    if not seconds:
        return compute(service_id, period)
    cache = caches["dashboards"]
    figures = cache.get(_key(service_id, period))
    if figures is None:
        figures = compute(service_id, period)
        cache.set(_key(service_id, period), figures, seconds)
    return figures


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
        cache.set(_key(service_id, period), compute(service_id, period), seconds)
        refreshed += 1
    return refreshed
