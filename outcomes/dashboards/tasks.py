import logging

from celery import shared_task

from outcomes.dashboards.lead import figures as dashboard_figures
from outcomes.dashboards.partnership import kept_figures
from outcomes.services.caseload_facts import caseload_facts_reconcile
from outcomes.services.day_facts import day_facts_reconcile
from outcomes.services.facts import episode_facts_reconcile
from outcomes.services.referral_facts import referral_facts_reconcile
from outcomes.services.wait_facts import wait_facts_reconcile
from referrals.records.people_counts import people_counts_reconcile

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def refresh_lead_dashboards() -> int:
    return dashboard_figures.refresh_default_periods()


@shared_task(ignore_result=True)
def refresh_partnership_gaps() -> int:
    return kept_figures.refresh_default_periods()


@shared_task(ignore_result=True)
def work_out_area_figures(partnership_id: int, start: str, end: str) -> None:
    """A period an officer opened that nobody had: its gaps and referrals by month."""
    kept_figures.keep_asked(partnership_id, start, end)


@shared_task(ignore_result=True)
def reconcile_episode_facts() -> dict[int, int]:
    """Nightly: rebuild every service's episode facts from its episodes (ADR 013). Drift
    means a change bypassed the services; it is logged (counts only) so it gets looked at."""
    drift = episode_facts_reconcile()
    for service_id, rows in sorted(drift.items()):
        if rows:
            logger.warning("Episode facts drifted: service %s, %s rows rebuilt", service_id, rows)
    return drift


@shared_task(ignore_result=True)
def reconcile_day_facts() -> dict[str, dict[int, int]]:
    """Nightly: rebuild the referral and message facts by day from their rows (ADR 018), and
    the caseload and ended-episode facts by person (ADR 022) and the referral copies with
    their counts by month (ADR 021), then the waits by day and length counted from those
    copies and the episodes (ADR 023), and each service's count of people. The database
    keeps them by triggers; drift means rows changed with the triggers off (or by TRUNCATE),
    logged as counts only."""
    drift = {**day_facts_reconcile(), **caseload_facts_reconcile()}
    if copies := referral_facts_reconcile():
        drift["referral copies"] = copies
    if waits := wait_facts_reconcile():
        drift["waits"] = waits
    if people := people_counts_reconcile():
        drift["people count"] = dict.fromkeys(people, 1)  # one count each (the error logged)
    for kind, services in sorted(drift.items()):
        for service_id, rows in sorted(services.items()):
            if rows:
                logger.warning(
                    "%s facts drifted: service %s, %s rows rebuilt", kind, service_id, rows
                )
    return drift
