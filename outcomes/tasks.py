"""Celery tasks for risk alerts, measures imports and activity plans' check-ins. Thin: the
work is in outcomes/services/alerts.py, outcomes/measures_import/upload_services.py and
outcomes/plans/checkins.py."""

from celery import shared_task

from outcomes.measures_import.upload_services import measure_imports_forget_stale
from outcomes.plans import checkins
from outcomes.services import alerts


@shared_task(ignore_result=True)
def check_risk_alerts() -> dict[str, int]:
    """Send on alerts whose email did not get through, then escalate flags nobody has
    acknowledged in time. Runs every minute from beat; safe to run twice at once."""
    return {
        "undelivered": alerts.risk_alerts_reroute(),
        "escalated": alerts.risk_flags_escalate(),
    }


@shared_task(ignore_result=True)
def forget_stale_measure_imports() -> int:
    """Daily from beat: imports nobody applied lose their file and records."""
    return measure_imports_forget_stale()


@shared_task(ignore_result=True)
def plan_check_in_tasks() -> dict[str, int]:
    """Hourly from beat: the week-6 call and missed check-ins tasks for activity plans. One
    task per cause (a unique source key): a second run adds nothing."""
    return checkins.plan_check_in_tasks()
