"""Taking and finishing a batch of claimed nudges in a few statements.

Every change is conditional on the row's status, as one nudge at a time was: a row
cancelled, or taken over by another copy of the task, is left alone. Sends are recorded as
they go, a few at a time (sending.SENT_FLUSH), so a worker that dies mid-batch leaves
only those few for the reference lookup to find.
"""

import random
import time
from collections import defaultdict
from datetime import datetime, timedelta

from django.db import connection
from django.db.models import F, Q

from referrals.nudges.models import Nudge

N = Nudge.Status
MAX_ATTEMPTS = 6


def retry_delay(attempts: int) -> timedelta:
    """1, 2, 4, 8, 16 minutes: enough for a gateway blip or a rate limit to pass."""
    return timedelta(minutes=2 ** max(attempts - 1, 0))


def _table() -> str:
    return connection.ops.quote_name(Nudge._meta.db_table)


def lease(nudge_ids, *, now: datetime, until: datetime) -> list:
    """Take the lease on each claimed nudge not leased by a live task, counting an attempt:
    one UPDATE ... RETURNING for the batch. Returns the ids leased."""
    ids = list(nudge_ids)
    if not ids:
        return []
    if connection.vendor == "postgresql":
        # The table name is ours, never input; every value is a parameter.
        sql = (
            f"UPDATE {_table()} SET lease_until = %s, attempts = attempts + 1 "  # noqa: S608
            "WHERE id = ANY(%s::uuid[]) AND status = %s "
            "AND (lease_until IS NULL OR lease_until < %s) RETURNING id"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [until, [str(i) for i in ids], N.SENDING, now])
            return [row[0] for row in cursor.fetchall()]
    leased = []
    for nudge_id in ids:
        if (
            Nudge.objects.filter(pk=nudge_id, status=N.SENDING)
            .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
            .update(lease_until=until, attempts=F("attempts") + 1)
        ):
            leased.append(nudge_id)
    return leased


class Recorder:
    """Collects what happened to each nudge of a batch and writes it in bulk."""

    def __init__(self, now: datetime):
        self.now = now
        self._started = time.monotonic()
        self.outcomes: dict[str, str] = {}
        self._sent: list[tuple] = []
        self._skipped: dict[str, list] = defaultdict(list)
        self._deferred: dict[tuple, list] = defaultdict(list)

    def _finish(self, ids, *, from_statuses=(N.SENDING,), **changes) -> int:
        return Nudge.objects.filter(pk__in=list(ids), status__in=from_statuses).update(
            lease_until=None, updated_at=self.now, **changes
        )

    @property
    def unrecorded(self) -> int:
        return len(self._sent)

    def _sent_at(self) -> datetime:
        """The batch's time plus the time since it began (its clock may be simulated)."""
        return self.now + timedelta(seconds=time.monotonic() - self._started)

    # --- collected, written by flush() ---

    def sent(self, nudge, *, gateway_id, channel, to, possible_duplicate=False, outcome="sent"):
        self._sent.append((str(nudge.pk), gateway_id, channel, to, possible_duplicate))
        self.outcomes[str(nudge.pk)] = outcome

    def skip(self, nudge, reason: str) -> None:
        self._skipped[reason].append(nudge.pk)
        self.outcomes[str(nudge.pk)] = "skipped"

    def defer(self, nudge, *, until: datetime, reason: str, outcome: str = "deferred") -> None:
        """Back to scheduled for later; not an attempt."""
        self._deferred[(until, reason)].append(nudge.pk)
        self.outcomes[str(nudge.pk)] = outcome

    def flush(self) -> None:
        self.flush_sent()
        for reason, ids in self._skipped.items():
            self._finish(ids, status=N.SKIPPED, skip_reason=reason)
        for (until, reason), ids in self._deferred.items():
            self._finish(
                ids,
                status=N.SCHEDULED,
                due_at=until,
                deferred_reason=reason,
                claimed_at=None,
                attempts=F("attempts") - 1,
            )
        self._skipped.clear()
        self._deferred.clear()

    def flush_sent(self) -> None:
        """Mark the messages the gateway took as sent: one statement. A nudge cancelled
        while its message was at the gateway went out, so its row says so."""
        rows, self._sent = self._sent, []
        if not rows:
            return
        sent_at = self._sent_at()
        if connection.vendor != "postgresql":
            for nudge_id, gateway_id, channel, to, duplicate in rows:
                self._finish(
                    [nudge_id],
                    from_statuses=(N.SENDING, N.CANCELLED),
                    status=N.SENT,
                    sent_at=sent_at,
                    gateway_id=gateway_id,
                    channel=channel,
                    sent_to=to,
                    possible_duplicate=duplicate,
                    last_error="",
                )
            return
        values = ", ".join(["(%s::uuid, %s, %s, %s, %s::boolean)"] * len(rows))
        sql = (
            f"UPDATE {_table()} AS n SET status = %s, sent_at = %s, updated_at = %s, "  # noqa: S608
            "lease_until = NULL, last_error = '', gateway_id = v.gateway_id, "
            "channel = v.channel, sent_to = v.sent_to, possible_duplicate = v.duplicate "
            f"FROM (VALUES {values}) AS v(id, gateway_id, channel, sent_to, duplicate) "
            "WHERE n.id = v.id AND n.status IN (%s, %s)"
        )
        params = [N.SENT, sent_at, sent_at]
        for row in rows:
            params.extend(row)
        params += [N.SENDING, N.CANCELLED]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)

    # --- written at once: rare, and each has its own values ---

    def failed(self, nudge, message: str, *, temporary: bool = False) -> str:
        message = message[:300]
        if temporary and nudge.attempts < MAX_ATTEMPTS:
            self._finish(
                [nudge.pk],
                status=N.SCHEDULED,
                due_at=self.now + retry_delay(nudge.attempts),
                claimed_at=None,
                last_error=message,
            )
            outcome = "retry"
        else:
            self._finish([nudge.pk], status=N.FAILED, last_error=message)
            outcome = "failed"
        self.outcomes[str(nudge.pk)] = outcome
        return outcome

    def put_back(
        self, nudges, *, due_at: datetime, reason: str, outcome: str, error="", jitter=0.0
    ) -> None:
        """Back to scheduled, not an attempt: nothing reached the gateway (the rate limit,
        or the task's time was up). `jitter`: up to that many seconds more, each its own,
        so that the ones put back together do not come back together."""
        if not nudges:
            return
        changes = {"last_error": error[:300]} if error else {}
        if jitter:
            groups = [
                ([nudge.pk], due_at + timedelta(seconds=random.uniform(0, jitter)))  # noqa: S311
                for nudge in nudges
            ]
        else:
            groups = [([nudge.pk for nudge in nudges], due_at)]
        for ids, when in groups:
            self._finish(
                ids,
                status=N.SCHEDULED,
                due_at=when,
                deferred_reason=reason,
                claimed_at=None,
                attempts=F("attempts") - 1,
                **changes,
            )
        for nudge in nudges:
            self.outcomes[str(nudge.pk)] = outcome
