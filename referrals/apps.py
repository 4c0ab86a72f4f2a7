from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = "Referrals"

    def ready(self):
        from referrals import scopes  # noqa: F401  (registers organisation scoping)
