"""The outbox's numbers for on-call (/metrics, talkingmoves/core/metrics.py): each a count
over a partial index, so a scrape stays cheap with millions of messages."""

from datetime import timedelta

from django.utils import timezone

from referrals.nudges.models import Nudge

N = Nudge.Status
# The dispatcher runs every minute: a message still waiting this long after it was due
# means dispatch or the workers have stopped.
OVERDUE_AFTER = timedelta(minutes=10)


def on_call_figures() -> dict:
    now = timezone.now()
    waiting = Nudge.objects.filter(status=N.SCHEDULED)
    return {
        "messages_due": (
            "Messages due now and not yet handed to a worker.",
            waiting.filter(due_at__lte=now).count(),
        ),
        "messages_overdue": (
            "Messages due more than 10 minutes ago and still waiting.",
            waiting.filter(due_at__lte=now - OVERDUE_AFTER).count(),
        ),
        "messages_failed_24h": (
            "Messages that failed to send in the last 24 hours.",
            Nudge.objects.filter(
                status=N.FAILED, updated_at__gte=now - timedelta(hours=24)
            ).count(),
        ),
    }
