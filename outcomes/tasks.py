"""Celery tasks for risk alerts and measures imports. Thin: the work is in
outcomes/services/alerts.py and outcomes/measures_import/upload_services.py."""

from celery import shared_task

from outcomes.measures_import.upload_services import measure_imports_forget_stale
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
