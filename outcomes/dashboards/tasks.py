from celery import shared_task

from outcomes.dashboards.lead import figures as dashboard_figures


@shared_task(ignore_result=True)
def refresh_lead_dashboards() -> int:
    return dashboard_figures.refresh_default_periods()
