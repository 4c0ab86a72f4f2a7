from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    """The reporting layer: the one place that reads across every app. Nothing imports it."""

    name = "outcomes.dashboards"
    label = "dashboards"
    verbose_name = "Dashboards"
