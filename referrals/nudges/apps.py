from django.apps import AppConfig


class NudgesConfig(AppConfig):
    """The follow-up message outbox: schedule, delivery, answers (docs/adr/005-nudge-outbox.md)."""

    name = "referrals.nudges"
    label = "nudges"
    verbose_name = "Follow-up messages"

    def ready(self):
        from referrals.nudges import receivers

        receivers.register()
