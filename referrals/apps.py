from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    verbose_name = "Referrals"
    name = "referrals"
