"""Claiming due nudges and delivering one: the outbox's engine.

A nudge moves scheduled -> sending when the dispatcher claims it, and sending -> sent /
skipped / failed (or back to scheduled, deferred or to retry) when a send task delivers it.
Every move is a conditional UPDATE on the current status, so two dispatchers or two copies
of a send task cannot both act on one nudge. No transaction is held across the gateway call:
the gateway is outside our database, and its record of the reference is what detects a
message that was sent by a worker that died before it could say so.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from providers.schedule import format_weekly_times
from referrals.inbox.links import provider_link_token
from referrals.models import Referral
from referrals.nudges import confirmation, digest, links
from referrals.nudges.decisions import decide
from referrals.nudges.messages import (
    AUDIENCE_CLINICIAN,
    AUDIENCE_PROVIDER,
    TEMPLATES,
)
from referrals.nudges.models import Nudge
from talkingmoves.notify.gateway import GatewayError, get_gateway
from talkingmoves.vocabulary.activities import DeliveryMode

logger = logging.getLogger(__name__)
N = Nudge.Status
R = Nudge.SkipReason

CLAIM_BATCH = 1000
MAX_ATTEMPTS = 6


def lease_length() -> timedelta:
    return timedelta(seconds=getattr(settings, "NUDGE_LEASE_SECONDS", 300))


def retry_delay(attempts: int) -> timedelta:
    """1, 2, 4, 8, 16 minutes: enough for a gateway blip or a rate limit to pass."""
    return timedelta(minutes=2 ** max(attempts - 1, 0))


# --- Claiming -------------------------------------------------------------------------------


def claim_due(*, now: datetime | None = None, limit: int = CLAIM_BATCH) -> list:
    """Mark up to `limit` due nudges as sending and return their ids. Concurrent callers get
    disjoint sets: SKIP LOCKED on PostgreSQL, a conditional UPDATE per row elsewhere."""
    now = now or timezone.now()
    due = Nudge.objects.filter(status=N.SCHEDULED, due_at__lte=now).order_by("due_at")
    with transaction.atomic():
        if connection.features.has_select_for_update_skip_locked:
            ids = list(due.select_for_update(skip_locked=True).values_list("id", flat=True)[:limit])
            Nudge.objects.filter(id__in=ids).update(status=N.SENDING, claimed_at=now)
            return ids
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


def message_context(nudge: Nudge) -> dict:
    """What a message may say. Names of people, activities and places only: nothing
    clinical."""
    context = {"first_name": "", "activity": "", "provider": "", "venue": "", "when": ""}
    context["first_session"] = ""
    context["count"] = ""
    context["urgent"] = ""
    if nudge.service_user is not None:
        context["first_name"] = nudge.service_user.given_name
    referral = nudge.referral
    if referral is not None:
        activity = referral.activity
        context["activity"] = activity.name
        context["provider"] = activity.provider.name
        if activity.venue is not None:
            venue = activity.venue
            context["venue"] = ", ".join(
                part for part in (venue.name, venue.address_line_1, venue.postcode) if part
            )
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


def _finish(nudge_id, *, from_statuses=(N.SENDING,), **changes) -> int:
    return Nudge.objects.filter(pk=nudge_id, status__in=from_statuses).update(
        lease_until=None, updated_at=timezone.now(), **changes
    )


def deliver(nudge_id, *, now: datetime | None = None) -> str:
    """Deliver one claimed nudge. Returns what happened, for logs and tests."""
    now = now or timezone.now()
    leased = (
        Nudge.objects.filter(pk=nudge_id, status=N.SENDING)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .update(lease_until=now + lease_length(), attempts=F("attempts") + 1)
    )
    if not leased:
        return "not claimed"  # another copy of the task has it, or it is finished
    nudge = Nudge.objects.select_related(
        "service_user",
        "recipient_user",
        "referral__activity__provider",
        "referral__activity__venue",
    ).get(pk=nudge_id)
    if nudge.attempts > MAX_ATTEMPTS:
        # Claimed again and again without finishing: its worker keeps dying on it.
        _finish(nudge_id, status=N.FAILED, last_error="Interrupted too many times")
        return "failed"
    try:
        return _deliver_leased(nudge, now=now)
    except DatabaseError:
        raise  # the database is away: the lease runs out and the dispatcher hands it out again
    except Exception as error:
        # A fault in our code or data, not the gateway's: fail it where a lead can see it,
        # rather than retrying it for ever.
        logger.exception("Nudge %s could not be sent", nudge_id)
        _finish(nudge_id, status=N.FAILED, last_error=f"Could not be sent ({type(error).__name__})")
        return "failed"


def _deliver_leased(nudge: Nudge, *, now: datetime) -> str:
    nudge_id = nudge.pk
    decision = decide(nudge, now=now)
    gateway = get_gateway()
    possible_duplicate = False
    if nudge.attempts > 1:
        # An earlier attempt may have reached the gateway before its worker died. Asked
        # before the skip rules: a message that went out is recorded as sent, whatever the
        # rules say now (a referral ended, an opt-out, quiet hours since).
        try:
            earlier = gateway.find_by_reference(str(nudge.pk))
        except GatewayError:
            earlier, possible_duplicate = None, True
        if earlier is not None:
            _finish(
                nudge_id,
                status=N.SENT,
                sent_at=now,
                gateway_id=earlier.gateway_id,
                channel=decision.channel,
                sent_to=decision.to,
            )
            logger.info("Nudge %s was already at the gateway; not sent again", nudge_id)
            return "already sent"

    if decision.skip:
        _finish(nudge_id, status=N.SKIPPED, skip_reason=decision.skip)
        return "skipped"
    if decision.defer_until is not None:
        _finish(
            nudge_id,
            status=N.SCHEDULED,
            due_at=decision.defer_until,
            deferred_reason=decision.defer_reason,
            claimed_at=None,
            attempts=F("attempts") - 1,
        )
        return "deferred"

    # Last look before the gateway call: a referral ended or a nudge cancelled meanwhile.
    still_wanted = Nudge.objects.filter(pk=nudge_id, status=N.SENDING)
    if nudge.referral_id is not None:
        still_wanted = still_wanted.filter(referral__status__in=Referral.OPEN_STATUSES)
    if not still_wanted.exists():
        _finish(nudge_id, status=N.SKIPPED, skip_reason=R.REFERRAL_ENDED)
        return "skipped"

    subject, body = TEMPLATES[nudge.template].render(decision.channel, message_context(nudge))
    personalisation = {"subject": subject, "body": body}
    send = gateway.send_sms if decision.channel == Nudge.Channel.SMS else gateway.send_email
    try:
        sent = send(
            to=decision.to,
            template=f"nudge_{decision.channel}",
            personalisation=personalisation,
            reference=str(nudge.pk),
        )
    except GatewayError as error:
        return _failed(nudge, error, now=now)
    _finish(
        nudge_id,
        # Cancelled while the gateway call ran: it went out, so the row says so.
        from_statuses=(N.SENDING, N.CANCELLED),
        status=N.SENT,
        sent_at=now,
        gateway_id=sent.gateway_id,
        channel=decision.channel,
        sent_to=decision.to,
        possible_duplicate=possible_duplicate,
        last_error="",
    )
    return "sent"


def _failed(nudge: Nudge, error: GatewayError, *, now: datetime) -> str:
    message = str(error)[:300]
    if error.temporary and nudge.attempts < MAX_ATTEMPTS:
        _finish(
            nudge.pk,
            status=N.SCHEDULED,
            due_at=now + retry_delay(nudge.attempts),
            claimed_at=None,
            last_error=message,
        )
        logger.warning("Nudge %s: temporary gateway error, will retry", nudge.pk)
        return "retry"
    _finish(nudge.pk, status=N.FAILED, last_error=message)
    logger.error("Nudge %s failed: %s", nudge.pk, message)
    return "failed"
