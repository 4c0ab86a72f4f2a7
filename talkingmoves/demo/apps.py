from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data and `seed_demo`. Installed only by the local and test settings."""

    name = "talkingmoves.demo"
    label = "demo"
    verbose_name = "Demo data"
