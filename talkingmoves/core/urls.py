from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    # Prometheus, with METRICS_TOKEN (talkingmoves/core/metrics.py).
    path("metrics", views.metrics_export, name="metrics"),
    path("favicon.ico", views.favicon, name="favicon"),
]
