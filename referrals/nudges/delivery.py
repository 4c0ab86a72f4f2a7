"""Claiming due nudges, and what their messages say; sending.py delivers them.

A nudge moves scheduled -> sending when the dispatcher claims it, and sending -> sent /
skipped / failed (or back to scheduled, deferred or to retry) when a send task delivers it.
Every move is a conditional UPDATE on the current status, so two dispatchers or two copies
of a send task cannot both act on one nudge.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from providers.schedule import format_weekly_times
from referrals.inbox.links import provider_link_token
from referrals.nudges import confirmation, digest, links, recording, safe_names
from referrals.nudges.messages import (
    AUDIENCE_CLINICIAN,
    AUDIENCE_PROVIDER,
    AUDIENCE_SERVICE_USER,
    TEMPLATES,
)
from referrals.nudges.models import Nudge
from talkingmoves.vocabulary.activities import DeliveryMode

logger = logging.getLogger(__name__)
N = Nudge.Status

CLAIM_BATCH = 1000
MAX_ATTEMPTS = recording.MAX_ATTEMPTS
retry_delay = recording.retry_delay


def lease_length() -> timedelta:
    return timedelta(seconds=getattr(settings, "NUDGE_LEASE_SECONDS", 300))


# --- Claiming -------------------------------------------------------------------------------


def claim_due(*, now: datetime | None = None, limit: int = CLAIM_BATCH) -> list:
    """Mark up to `limit` due nudges as sending and return their ids, earliest due first.
    One statement on PostgreSQL (UPDATE ... RETURNING over a SELECT ... FOR UPDATE SKIP
    LOCKED), so concurrent dispatchers get disjoint sets without waiting on each other; a
    conditional UPDATE per row elsewhere."""
    now = now or timezone.now()
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(Nudge._meta.db_table)
        # The table name is ours, never input; every value is a parameter.
        sql = (
            f"UPDATE {table} SET status = %s, claimed_at = %s WHERE id IN ("  # noqa: S608
            f"SELECT id FROM {table} WHERE status = %s AND due_at <= %s "
            "ORDER BY due_at LIMIT %s FOR UPDATE SKIP LOCKED) RETURNING id, due_at"
        )
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [N.SENDING, now, N.SCHEDULED, now, limit])
            return [row[0] for row in sorted(cursor.fetchall(), key=lambda row: row[1])]
    due = Nudge.objects.filter(status=N.SCHEDULED, due_at__lte=now).order_by("due_at")
    with transaction.atomic():
        claimed = []
        for nudge_id in due.values_list("id", flat=True)[:limit]:
            if Nudge.objects.filter(id=nudge_id, status=N.SCHEDULED).update(
                status=N.SENDING, claimed_at=now
            ):
                claimed.append(nudge_id)
        return claimed


def reclaim_stalled(*, now: datetime | None = None, limit: int = CLAIM_BATCH) -> list:
    """Nudges claimed but not finished within the lease: the send task was lost with the
    broker, or its worker died. They are handed out again; delivery checks the gateway for
    the reference before sending, so a message that did go out is not sent twice."""
    now = now or timezone.now()
    stale = now - lease_length()
    stalled = Nudge.objects.filter(status=N.SENDING, claimed_at__lt=stale).filter(
        Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    )
    ids = list(stalled.values_list("id", flat=True)[:limit])
    Nudge.objects.filter(id__in=ids, status=N.SENDING).update(claimed_at=now)
    return ids


def release(ids) -> int:
    """Put claimed nudges back when their send tasks could not be queued."""
    return Nudge.objects.filter(id__in=ids, status=N.SENDING, lease_until__isnull=True).update(
        status=N.SCHEDULED, claimed_at=None
    )


# --- Deciding -------------------------------------------------------------------------------


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}" if path else ""


def message_context(nudge: Nudge, *, sender: str | None = None) -> dict:
    """What a message may say. Names of people, activities and places only: nothing
    clinical. `sender`: the service's sender name, when the caller has it already."""
    context = {"first_name": "", "activity": "", "provider": "", "venue": "", "when": ""}
    context["first_session"] = ""
    context["count"] = ""
    context["urgent"] = ""
    context["sender"] = sender if sender is not None else safe_names.sender_name(nudge.service_id)
    if nudge.service_user is not None:
        context["first_name"] = nudge.service_user.given_name
    referral = nudge.referral
    if referral is not None:
        activity = referral.activity
        # To a service user, vetted: a name that says what the service treats is replaced
        # by a neutral one. Staff see the names as they are.
        vetted = nudge.audience == AUDIENCE_SERVICE_USER
        context["activity"] = safe_names.activity_name(activity) if vetted else activity.name
        context["provider"] = (
            safe_names.provider_name(activity.provider) if vetted else activity.provider.name
        )
        if activity.venue is not None:
            context["venue"] = safe_names.venue_text(activity.venue, vetted=vetted)
        else:
            context["venue"] = DeliveryMode.ONLINE.label
        slots = [(s.weekday, s.start_time, s.end_time) for s in activity.weekly_slots.all()]
        context["when"] = format_weekly_times(slots).replace("\n", "; ") or "See the listing"
        if referral.first_session_at:
            context["first_session"] = timezone.localtime(referral.first_session_at).strftime(
                "%A %-d %B at %H:%M"
            )
    if nudge.template == "clinician_weekly_digest" and nudge.recipient_user is not None:
        context["count"] = digest.attention_count(nudge.recipient_user)
        context["urgent"] = digest.urgent_text(nudge.recipient_user)
    template = TEMPLATES[nudge.template]
    if template.answerable:
        path = links.answer_path(nudge)
    elif nudge.template == "getting_active":
        path = links.options_path(nudge)
    elif nudge.template == "shortlist":
        path = links.shortlist_path(nudge)
    elif nudge.audience == AUDIENCE_PROVIDER and referral is not None:
        path = reverse("referrals:provider_link", kwargs={"token": provider_link_token(referral)})
    elif nudge.link_path:
        path = nudge.link_path
    elif nudge.audience == AUDIENCE_CLINICIAN and nudge.service_user is not None:
        path = reverse("referrals:record", kwargs={"public_id": nudge.service_user.public_id})
    else:
        path = reverse("core:home")
    context["link"] = _absolute(path)
    context.update(confirmation.extra_context(nudge))  # referral_accepted's start and company
    return context


# --- Delivering -----------------------------------------------------------------------------


def deliver(nudge_id, *, now: datetime | None = None) -> str:
    """Deliver one claimed nudge (a batch of one). Returns what happened, for logs and
    tests."""
    from referrals.nudges import sending  # sending builds on this module

    return sending.send_batch([nudge_id], now=now)[str(nudge_id)]
