"""An area's provision gaps, kept for a few minutes, and the default period kept ready by a
beat task, as the lead's figures are (lead/figures.py). The demand behind them reads every
service user of the area in touch in the period: most of a second for an area of a million
(docs/performance.md), and gaps do not need to be live to the minute. The page says when
they were worked out."""

from datetime import datetime

from django.conf import settings
from django.core.cache import caches
from django.utils import timezone

from outcomes.dashboards.db import analytics
from outcomes.dashboards.partnership import selectors as area
from outcomes.dashboards.periods import Period, covering_months, default_period
from talkingmoves.accounts.models import Organisation

VERSION = 1  # bump when Gap's shape changes, so old kept copies are ignored


def _key(partnership_id, period: Period) -> str:
    return f"area-gaps:v{VERSION}:{partnership_id}:{period.start}:{period.end}"


def _computed(partnership_id, period: Period) -> tuple[datetime, list[area.Gap]]:
    return timezone.now(), area.provision_gaps(partnership_id, period)


def provision_gaps(partnership_id, period: Period) -> tuple[datetime, list[area.Gap]]:
    """(worked out at, the gaps) for whole months, in the caller's analytics() block."""
    seconds = settings.DASHBOARD_CACHE_SECONDS
    if not seconds:
        return _computed(partnership_id, period)
    cache = caches["dashboards"]
    kept = cache.get(_key(partnership_id, period))
    if kept is None:
        kept = _computed(partnership_id, period)
        cache.set(_key(partnership_id, period), kept, seconds)
    return kept


def refresh_default_periods() -> int:
    """Work out every partnership's gaps for the period its page opens on (beat runs this
    more often than the cache expires). Returns how many partnerships were refreshed."""
    seconds = settings.DASHBOARD_CACHE_SECONDS
    if not seconds:
        return 0
    period = covering_months(default_period())
    partnerships = Organisation.objects.filter(kind=Organisation.Kind.ACTIVE_PARTNERSHIP)
    refreshed = 0
    for partnership_id in partnerships.values_list("pk", flat=True):
        with analytics():
            kept = _computed(partnership_id, period)
        caches["dashboards"].set(_key(partnership_id, period), kept, seconds)
        refreshed += 1
    return refreshed
