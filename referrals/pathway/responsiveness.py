"""How quickly a provider answers referrals, and how many it accepts, over the last 12 months.
Shown to clinicians beside listings once there are enough referrals to mean something."""

from dataclasses import dataclass
from datetime import timedelta
from statistics import median

from django.utils import timezone

from referrals.models import Referral

WINDOW = timedelta(days=365)
MINIMUM_SENT = 5


@dataclass(frozen=True)
class Responsiveness:
    sent: int
    answered: int  # by the provider, or declined for them after 14 days
    accepted: int
    median_days: float | None  # sent to the provider's own answer

    @property
    def accepted_percent(self) -> int | None:
        return round(100 * self.accepted / self.answered) if self.answered else None

    @property
    def reply_text(self) -> str:
        if self.median_days is None:
            return "Has not yet replied to a referral"
        days = round(self.median_days)
        if days < 1:
            return "Usually replies within a day"
        return f"Usually replies in {days} day{'s' if days != 1 else ''}"

    @property
    def accepted_text(self) -> str:
        if self.accepted_percent is None:
            return ""
        return f"{self.accepted_percent}% accepted ({self.accepted} of {self.answered} answered)"


def for_providers(provider_ids, *, now=None) -> dict[int, Responsiveness]:
    """Figures per Provider listing id, only for providers with enough referrals; one query.
    The median is taken in Python so it works on SQLite as well as PostgreSQL."""
    provider_ids = set(provider_ids)
    if not provider_ids:
        return {}
    since = (now or timezone.now()) - WINDOW
    rows = Referral.objects.filter(
        kind=Referral.Kind.REFER,
        sent_at__gte=since,
        activity__provider_id__in=provider_ids,
    ).values_list("activity__provider_id", "sent_at", "answered_at", "decline_reason")
    grouped: dict[int, list] = {}
    for provider_id, sent_at, answered_at, decline_reason in rows:
        grouped.setdefault(provider_id, []).append((sent_at, answered_at, decline_reason))
    figures = {}
    for provider_id, referrals in grouped.items():
        if len(referrals) < MINIMUM_SENT:
            continue
        answered = [r for r in referrals if r[1] is not None]
        # An auto-decline is not a reply: it counts against acceptance, not in reply time.
        replied = [r for r in answered if r[2] != Referral.DeclineReason.NO_RESPONSE]
        figures[provider_id] = Responsiveness(
            sent=len(referrals),
            answered=len(answered),
            accepted=sum(1 for r in answered if not r[2]),
            median_days=(
                median((a - s).total_seconds() / 86400 for s, a, _ in replied) if replied else None
            ),
        )
    return figures


def for_provider(provider_id, *, now=None) -> Responsiveness | None:
    return for_providers([provider_id], now=now).get(provider_id)
