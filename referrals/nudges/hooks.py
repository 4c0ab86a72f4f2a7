"""Where outcomes (a higher app) takes part in the outbox's decisions without the outbox
importing it. See talkingmoves/core/hooks.py; receivers register in AppConfig.ready()."""

from talkingmoves.core.hooks import Hook

service_user_messages_blocked = Hook(
    "service_user_messages_blocked",
    "receiver(service_id) -> str: why this service may not message its service users yet "
    "(for example, no duty contact to alert about risk), or '' when it may.",
)


def service_user_messages_blocker(service_id) -> str:
    """The first reason a service may not message service users, or ''."""
    reasons = service_user_messages_blocked(service_id=service_id)
    return next((reason for reason in reasons if reason), "")
