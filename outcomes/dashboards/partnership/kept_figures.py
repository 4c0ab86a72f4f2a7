"""An area's figures for a period (provision gaps and referrals by month), worked out by the
reports worker and kept rather than in the officer's request. The demand behind the gaps reads
every service user of the area in touch in the period, which at an area of a million people
is most of a second (docs/performance.md), and gaps need not be live to the minute.

Beat keeps the default period ready, as it does the lead's figures (lead/figures.py). Any
other period is asked of the worker the first time it is opened, and its page says the
figures are being worked out until they are kept. The page says when they were worked out.
With no broker to ask, the request works them out itself: slow, but never wrong or missing
(ADR 024).
"""

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.cache import caches
from django.utils import timezone
from kombu.exceptions import OperationalError

from outcomes.dashboards.db import analytics
from outcomes.dashboards.partnership import selectors as area
from outcomes.dashboards.periods import Period, covering_months, default_period
from talkingmoves.accounts.models import Organisation

logger = logging.getLogger(__name__)

VERSION = 2  # bump when PeriodFigures' shape changes, so old kept copies are ignored
# A period asked of the worker is asked again if nothing was kept by then (a worker that
# died, a lost message); the page says it is taking longer than it should after DELAYED.
ASKED_SECONDS = 5 * 60
DELAYED = timedelta(minutes=2)


@dataclass(frozen=True)
class PeriodFigures:
    worked_out_at: datetime
    months: list[area.MonthOfReferrals]
    gaps: list[area.Gap]


@dataclass(frozen=True)
class BeingWorkedOut:
    asked_at: datetime

    @property
    def delayed(self) -> bool:
        return timezone.now() - self.asked_at > DELAYED


def _key(partnership_id, period: Period, kind: str = "figures") -> str:
    return f"area-{kind}:v{VERSION}:{partnership_id}:{period.start}:{period.end}"


def work_out(partnership_id, period: Period) -> PeriodFigures:
    """In the caller's analytics() block."""
    return PeriodFigures(
        worked_out_at=timezone.now(),
        months=area.referrals_by_month(partnership_id, period),
        gaps=area.provision_gaps(partnership_id, period),
    )


def keep(partnership_id, period: Period) -> PeriodFigures:
    """Work out a period's figures and keep them (the worker's task, beat's refresh)."""
    with analytics():
        figures = work_out(partnership_id, period)
    cache = caches["dashboards"]
    cache.set(_key(partnership_id, period), figures, settings.DASHBOARD_CACHE_SECONDS)
    cache.delete(_key(partnership_id, period, "asked"))
    return figures


def period_figures(partnership_id, period: Period, *, wait: bool = False):
    """The kept PeriodFigures for whole months, or BeingWorkedOut once the worker has been
    asked for them. `wait` works them out in the request instead (a CSV download). In the
    caller's analytics() block."""
    if not settings.DASHBOARD_CACHE_SECONDS:
        return work_out(partnership_id, period)
    cache = caches["dashboards"]
    kept = cache.get(_key(partnership_id, period))
    if kept is not None:
        return kept
    if wait:
        return _kept_now(partnership_id, period)
    asked_key = _key(partnership_id, period, "asked")
    # Read first: add() is several statements, and most opens are refreshes of a period
    # already asked for.
    if (asked_at := cache.get(asked_key)) is not None:
        return BeingWorkedOut(asked_at=asked_at)
    now = timezone.now()
    if not cache.add(asked_key, now, ASKED_SECONDS):
        return BeingWorkedOut(asked_at=cache.get(asked_key) or now)
    # Imported here: the task module imports this one.
    from outcomes.dashboards.tasks import work_out_area_figures

    try:
        work_out_area_figures.delay(
            partnership_id, period.start.isoformat(), period.end.isoformat()
        )
    except OperationalError:
        cache.delete(asked_key)
        logger.warning("Broker unavailable: an area's figures worked out in the request")
        return _kept_now(partnership_id, period)
    return BeingWorkedOut(asked_at=now)


def _kept_now(partnership_id, period: Period) -> PeriodFigures:
    figures = work_out(partnership_id, period)
    caches["dashboards"].set(
        _key(partnership_id, period), figures, settings.DASHBOARD_CACHE_SECONDS
    )
    return figures


def keep_asked(partnership_id, start: str, end: str) -> None:
    """The worker's side of period_figures: the period as the page asked for it."""
    keep(partnership_id, Period(date.fromisoformat(start), date.fromisoformat(end)))


def refresh_default_periods() -> int:
    """Work out every partnership's figures for the period its page opens on (beat runs
    this more often than the cache expires). Returns how many partnerships were refreshed."""
    if not settings.DASHBOARD_CACHE_SECONDS:
        return 0
    period = covering_months(default_period())
    partnerships = Organisation.objects.filter(kind=Organisation.Kind.ACTIVE_PARTNERSHIP)
    refreshed = 0
    for partnership_id in partnerships.values_list("pk", flat=True):
        keep(partnership_id, period)
        refreshed += 1
    return refreshed
