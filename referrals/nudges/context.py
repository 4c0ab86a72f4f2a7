"""Everything one batch of sends reads, loaded in a few queries instead of several per
message: the nudges with their people, referrals, activities and slots; each service's
message settings, duty-contact check and sender name; who has had a message today.

The answers are those decisions.LiveFacts gives one nudge at a time, read once for the
batch at its start: a change made while the batch runs (seconds) counts from the next one,
as it would for a message already past its decision.
"""

from collections import defaultdict
from datetime import datetime

from django.db.models import Q

from referrals.models import Referral
from referrals.nudges import safe_names, schedule
from referrals.nudges.decisions import local_midnight
from referrals.nudges.hooks import service_user_messages_blocker
from referrals.nudges.messages import AUDIENCE_SERVICE_USER
from referrals.nudges.models import Nudge, NudgeSetting

N = Nudge.Status


def load(nudge_ids) -> list[Nudge]:
    """The leased nudges and what their messages name: two queries."""
    return list(
        Nudge.objects.select_related(
            "service_user__assigned_clinician",
            "recipient_user",
            "referral__activity__provider",
            "referral__activity__venue",
        )
        .prefetch_related("referral__activity__weekly_slots")
        .filter(pk__in=list(nudge_ids))
        .order_by("due_at")
    )


class BatchFacts:
    """decisions.decide's facts for a whole batch (see decisions.LiveFacts)."""

    def __init__(self, nudges: list[Nudge], *, now: datetime):
        service_ids = {nudge.service_id for nudge in nudges}
        rows = defaultdict(list)
        for setting in NudgeSetting.objects.filter(service_id__in=service_ids):
            rows[setting.service_id].append(setting)
        self._settings = {
            service_id: schedule.effective_settings(service_id, rows=rows[service_id])
            for service_id in service_ids
        }
        self._blockers: dict = {}
        self._senders: dict = {}
        people = {
            nudge.service_user_id
            for nudge in nudges
            if nudge.audience == AUDIENCE_SERVICE_USER and nudge.service_user_id
        }
        self._messaged = set()
        if people:
            self._messaged = set(
                Nudge.objects.filter(
                    service_user_id__in=people,
                    audience=AUDIENCE_SERVICE_USER,
                    status__in=[N.SENT, N.DELIVERED],
                    sent_at__gte=local_midnight(now),
                )
                .values_list("service_user_id", flat=True)
                .distinct()
            )

    def settings(self, service_id) -> dict:
        return self._settings[service_id]

    def blocker(self, service_id) -> str:
        if service_id not in self._blockers:
            self._blockers[service_id] = service_user_messages_blocker(service_id)
        return self._blockers[service_id]

    def sender(self, service_id) -> str:
        if service_id not in self._senders:
            self._senders[service_id] = safe_names.sender_name(service_id)
        return self._senders[service_id]

    def messaged_today(self, nudge: Nudge, now: datetime) -> bool:
        return nudge.service_user_id in self._messaged

    def will_message(self, nudge: Nudge) -> None:
        """A message to this service user is on its way in this batch: a second one to
        them, later in the batch, waits for tomorrow as it would after the first was sent."""
        if nudge.audience == AUDIENCE_SERVICE_USER and nudge.service_user_id:
            self._messaged.add(nudge.service_user_id)


def still_wanted(nudges: list[Nudge]) -> set:
    """The last look before the gateway, one query for the batch: which are still being
    sent (not cancelled meanwhile) with their referral, if any, still open."""
    if not nudges:
        return set()
    return set(
        Nudge.objects.filter(pk__in=[nudge.pk for nudge in nudges], status=N.SENDING)
        .filter(Q(referral__isnull=True) | Q(referral__status__in=Referral.OPEN_STATUSES))
        .values_list("pk", flat=True)
    )
