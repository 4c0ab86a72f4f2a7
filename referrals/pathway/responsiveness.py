"""How quickly a provider answers referrals, and how many it accepts, over the last 12 months.
Shown to clinicians beside listings once there are enough referrals to mean something.

Kept in the database (ProviderResponsiveness), not recomputed per page: a provider's row is
rebuilt in the transaction that sends or answers one of its referrals (receivers.py), and
every row nightly, as the 12 months move on (tasks.reconcile_provider_responsiveness). Pages
read the stored rows."""

from dataclasses import dataclass
from datetime import timedelta
from statistics import median

from django.db import connection, transaction
from django.utils import timezone

from referrals.models import ProviderResponsiveness, Referral

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


def for_providers(provider_ids) -> dict[int, Responsiveness]:
    """Stored figures per Provider listing id, only for providers with enough referrals."""
    provider_ids = set(provider_ids)
    if not provider_ids:
        return {}
    rows = ProviderResponsiveness.objects.filter(
        provider_id__in=provider_ids, sent__gte=MINIMUM_SENT
    ).values_list("provider_id", "sent", "answered", "accepted", "median_days")
    return {
        provider_id: Responsiveness(
            sent=sent, answered=answered, accepted=accepted, median_days=median_days
        )
        for provider_id, sent, answered, accepted, median_days in rows
    }


def for_provider(provider_id) -> Responsiveness | None:
    return for_providers([provider_id]).get(provider_id)


def computed_for_providers(provider_ids, *, now=None) -> dict[int, Responsiveness]:
    """The figures worked out from the referrals in Python: the reference the stored ones
    are checked against, and the way they are computed on SQLite (the demo)."""
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


# One pass over one provider's (or every provider's) referrals of the last 12 months. The
# median is PostgreSQL's percentile_cont(0.5): the mean of the middle two for an even count,
# as statistics.median. Reads referral_inbox_by_activity's provider referrals by activity.
_FIGURES_SQL = """
SELECT a.provider_id,
       count(*) AS sent,
       count(r.answered_at) AS answered,
       count(*) FILTER (WHERE r.answered_at IS NOT NULL AND r.decline_reason = '') AS accepted,
       percentile_cont(0.5) WITHIN GROUP (
           ORDER BY extract(epoch FROM r.answered_at - r.sent_at) / 86400
       ) FILTER (WHERE r.answered_at IS NOT NULL AND r.decline_reason <> %(no_response)s)
         AS median_days
FROM referrals_referral r
JOIN providers_activity a ON a.id = r.activity_id
WHERE r.kind = 'refer' AND r.sent_at >= %(since)s {only}
GROUP BY a.provider_id
"""


# The same figures for some providers, stored in the one statement: a provider with no
# referral left in the 12 months loses its row.
_REFRESH_SQL = """
WITH figures AS ({figures}),
gone AS (
    DELETE FROM referrals_providerresponsiveness
    WHERE provider_id = ANY(%(ids)s) AND provider_id NOT IN (SELECT provider_id FROM figures)
)
INSERT INTO referrals_providerresponsiveness
    (provider_id, sent, answered, accepted, median_days, computed_at)
SELECT provider_id, sent, answered, accepted, median_days, %(now)s FROM figures
ON CONFLICT (provider_id) DO UPDATE SET
    sent = EXCLUDED.sent, answered = EXCLUDED.answered, accepted = EXCLUDED.accepted,
    median_days = EXCLUDED.median_days, computed_at = EXCLUDED.computed_at
"""
_ONLY = "AND a.provider_id = ANY(%(ids)s)"


def _params(provider_ids, *, now) -> dict:
    return {
        "since": now - WINDOW,
        "no_response": Referral.DeclineReason.NO_RESPONSE,
        "ids": list(provider_ids or []),
        "now": now,
    }


def _figures(provider_ids, *, now) -> dict[int, Responsiveness]:
    if connection.vendor != "postgresql":
        if provider_ids is None:
            provider_ids = Referral.objects.values_list("activity__provider_id", flat=True)
        return computed_for_providers(provider_ids, now=now)
    only = "" if provider_ids is None else _ONLY
    with connection.cursor() as cursor:
        cursor.execute(_FIGURES_SQL.format(only=only), _params(provider_ids, now=now))
        return {
            provider_id: Responsiveness(
                sent=sent, answered=answered, accepted=accepted, median_days=median_days
            )
            for provider_id, sent, answered, accepted, median_days in cursor.fetchall()
        }


def _store(figures: dict[int, Responsiveness], *, now) -> None:
    ProviderResponsiveness.objects.bulk_create(
        [
            ProviderResponsiveness(
                provider_id=provider_id,
                sent=f.sent,
                answered=f.answered,
                accepted=f.accepted,
                median_days=f.median_days,
                computed_at=now,
            )
            for provider_id, f in figures.items()
        ],
        update_conflicts=True,
        unique_fields=["provider"],
        update_fields=["sent", "answered", "accepted", "median_days", "computed_at"],
    )


@transaction.atomic
def responsiveness_refresh(*, provider_ids, now=None) -> None:
    """Rebuild the stored figures of these providers: called in the transaction that sends
    or answers one of their referrals, so the figure a clinician sees is never behind it."""
    provider_ids = set(provider_ids)
    now = now or timezone.now()
    if connection.vendor == "postgresql":
        # Worked out and stored by the database, without a round of Python in between.
        sql = _REFRESH_SQL.format(figures=_FIGURES_SQL.format(only=_ONLY))
        with connection.cursor() as cursor:
            cursor.execute(sql, _params(provider_ids, now=now))
        return
    figures = _figures(provider_ids, now=now)
    ProviderResponsiveness.objects.filter(provider_id__in=provider_ids - figures.keys()).delete()
    _store(figures, now=now)


@transaction.atomic
def responsiveness_reconcile(*, now=None) -> int:
    """Rebuild every provider's figures for the 12 months to now (nightly): referrals move
    out of the window with time, not only when they change. Returns how many stored figures
    were wrong (drift the per-answer refresh missed, or the window moving)."""
    now = now or timezone.now()
    figures = _figures(None, now=now)
    stored = {
        row.provider_id: Responsiveness(
            sent=row.sent,
            answered=row.answered,
            accepted=row.accepted,
            median_days=row.median_days,
        )
        for row in ProviderResponsiveness.objects.all()
    }
    changed = sum(1 for pk, f in figures.items() if stored.get(pk) != f)
    gone = stored.keys() - figures.keys()
    ProviderResponsiveness.objects.filter(provider_id__in=gone).delete()
    _store(figures, now=now)
    return changed + len(gone)
