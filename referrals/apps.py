from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = "Referrals"

    def ready(self):
        from referrals import receivers, scopes  # noqa: F401  (scopes registers scoping)

        receivers.register()
