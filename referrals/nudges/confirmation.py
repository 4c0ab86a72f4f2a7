"""What the acceptance confirmation says beyond the names every message has: when the person
starts (the first session the provider gave, else the activity's next session from its
schedule) and whether someone will come with them the first time."""

from django.utils import timezone

from providers.search import next_session
from referrals.nudges.models import Nudge

SESSION_FORMAT = "%A %-d %B at %H:%M"
ACCOMPANIED = " Someone can come with you the first time."


def start_text(nudge: Nudge, *, now=None) -> str:
    referral = nudge.referral
    if referral is None:
        return ""
    if referral.first_session_at:
        return timezone.localtime(referral.first_session_at).strftime(SESSION_FORMAT)
    upcoming = next_session(referral.activity, now=now or timezone.now())
    if upcoming is None:
        return "the provider will tell you the date"
    return "next session " + timezone.localtime(upcoming).strftime(SESSION_FORMAT)


def extra_context(nudge: Nudge) -> dict:
    """Context keys for referral_accepted; blank for every other message."""
    if nudge.template != "referral_accepted" or nudge.referral is None:
        return {"start": "", "accompanied": ""}
    accompanied = ACCOMPANIED if nudge.referral.accompanied_first_visit else ""
    return {"start": start_text(nudge), "accompanied": accompanied}
