import logging

from celery import shared_task

from outcomes.dashboards.lead import figures as dashboard_figures
from outcomes.services.facts import episode_facts_reconcile

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def refresh_lead_dashboards() -> int:
    return dashboard_figures.refresh_default_periods()


@shared_task(ignore_result=True)
def reconcile_episode_facts() -> dict[int, int]:
    """Nightly: rebuild every service's episode facts from its episodes (ADR 013). Drift
    means a change bypassed the services; it is logged (counts only) so it gets looked at."""
    drift = episode_facts_reconcile()
    for service_id, rows in sorted(drift.items()):
        if rows:
            logger.warning("Episode facts drifted: service %s, %s rows rebuilt", service_id, rows)
    return drift
