"""Where outcomes (a higher app) takes part in the outbox's decisions without the outbox
importing it. See talkingmoves/core/hooks.py; receivers register in AppConfig.ready()."""

from talkingmoves.core.hooks import Hook

service_user_messages_blocked = Hook(
    "service_user_messages_blocked",
    "receiver(service_id) -> str: why this service may not message its service users yet "
    "(for example, no duty contact to alert about risk), or '' when it may.",
)

text_reply_received = Hook(
    "text_reply_received",
    "receiver(reply): a service user's text reply that a person should read (a TextReply "
    "of kind free_text), in its transaction; for example, a task for their clinician.",
)


duty_contact = Hook(
    "duty_contact",
    "receiver(service_id) -> str: the service's duty inbox for things that must reach a "
    "person (a call request nobody assigned can take), or ''.",
)
message_sender = Hook(
    "message_sender",
    "receiver(service_id) -> str: the name messages to the service's service users come "
    "from (the lead chooses it), or ''.",
)
crisis_support = Hook(
    "crisis_support",
    "receiver(service_id) -> list[str]: the service's crisis support text, one point a line, "
    "for the pages a service user reaches from a message.",
)
due_work = Hook(
    "due_work",
    "receiver(now) -> dict[str, int]: a higher app's timed work as of `now` (the tasks a "
    "beat job raises, say), done when send_due_nudges moves the clock on for a demo or for "
    "support, so what falls due with the messages shows too. Safe to run again.",
)
DEFAULT_CRISIS_SUPPORT = [
    "Call NHS 111 and select option 2, for help 24 hours a day.",
    "Call 999 or go to A&E if your life or someone else's life is at risk.",
    "Call Samaritans free on 116 123, any time, day or night.",
]


def duty_contact_email(service_id) -> str:
    return next((email for email in duty_contact(service_id=service_id) if email), "")


def crisis_support_lines(service_id) -> list[str]:
    """The service's own text, or a default that is safe anywhere in England."""
    return next((lines for lines in crisis_support(service_id=service_id) if lines), None) or (
        DEFAULT_CRISIS_SUPPORT
    )


def service_user_messages_blocker(service_id) -> str:
    """The first reason a service may not message service users, or ''."""
    reasons = service_user_messages_blocked(service_id=service_id)
    return next((reason for reason in reasons if reason), "")


def message_sender_name(service_id) -> str:
    """The service's own name for messages, or '' (safe_names.sender_name says the default)."""
    return next((name for name in message_sender(service_id=service_id) if name), "")
