"""Celery tasks for risk alerts. Thin: the work is in outcomes/services/alerts.py."""

from celery import shared_task

from outcomes.services import alerts


@shared_task(ignore_result=True)
def check_risk_alerts() -> dict[str, int]:
    """Send on alerts whose email did not get through, then escalate flags nobody has
    acknowledged in time. Runs every minute from beat; safe to run twice at once."""
    return {
        "undelivered": alerts.risk_alerts_reroute(),
        "escalated": alerts.risk_flags_escalate(),
    }
