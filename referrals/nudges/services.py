"""Operations on the nudge outbox: schedule, cancel, answer, retry, record delivery.

Scheduling runs inside the caller's transaction (a referral's state change and its nudges
commit or roll back together)."""

import uuid
from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from referrals.models import Referral
from referrals.nudges import schedule
from referrals.nudges.messages import (
    AUDIENCE_CLINICIAN,
    AUDIENCE_SERVICE_USER,
    FROM_ACCEPTED,
    FROM_FIRST_SESSION,
    FROM_RECORD_CREATED,
    FROM_REFERRAL_SENT,
    TEMPLATES,
)
from referrals.nudges.models import Nudge

S = Referral.Status
PENDING = Nudge.PENDING_STATUSES

# What each referral state change schedules, by what the day counts from.
SCHEDULE_ON_ENTERING: dict[str, str] = {
    S.SENT: FROM_REFERRAL_SENT,
    S.ACCEPTED: FROM_ACCEPTED,
    S.SIGNPOSTED: FROM_REFERRAL_SENT,
}
# Messages a state change makes pointless.
CANCEL_ON_ENTERING: dict[str, tuple[str, ...]] = {
    S.ACCEPTED: (
        "provider_new_referral",
        "provider_reminder",
        "provider_final_reminder",
        "clinician_provider_silent",
    ),
    S.ATTENDING: ("did_you_go", "first_session_reminder", "clinician_no_attendance"),
}
# Signposting shares nothing with a provider, so only the service user hears from us.
SIGNPOST_TEMPLATES = ("did_you_go",)


def _recipient_fields(audience: str, service_user) -> dict:
    if audience == AUDIENCE_CLINICIAN:
        return {"recipient_user_id": service_user.assigned_clinician_id}
    return {}


def _nudge(*, template: str, due_at: datetime, service_user, referral=None, **fields) -> Nudge:
    return Nudge(
        service_id=service_user.service_id,
        audience=TEMPLATES[template].audience,
        template=template,
        service_user=service_user,
        referral=referral,
        due_at=due_at,
        **fields,
    )


def nudges_for_referral_change(referral: Referral, *, to_status: str) -> list[Nudge]:
    """Cancel what the change makes pointless and schedule what it starts. Call inside the
    transaction that changes the referral."""
    now = timezone.now()
    if to_status not in Referral.OPEN_STATUSES:
        nudges_cancel(referral=referral)
        return []
    if to_status in CANCEL_ON_ENTERING:
        nudges_cancel(referral=referral, templates=CANCEL_ON_ENTERING[to_status])
    counts_from = SCHEDULE_ON_ENTERING.get(to_status)
    if counts_from is None:
        return []
    service_user = referral.service_user
    settings = schedule.effective_settings(service_user.service_id)
    anchor = referral.sent_at or now
    if to_status == S.ACCEPTED:
        anchor = referral.answered_at or now
    wanted = [
        key
        for key, template in TEMPLATES.items()
        if template.counts_from in (counts_from, FROM_FIRST_SESSION)
        and (to_status != S.SIGNPOSTED or key in SIGNPOST_TEMPLATES)
        and settings[key][0]
    ]
    nudges = []
    for key in wanted:
        template = TEMPLATES[key]
        offset_days = settings[key][1]
        if template.counts_from == FROM_FIRST_SESSION:
            if to_status != S.ACCEPTED or referral.first_session_at is None:
                continue
            when = schedule.due_at(
                template, anchor=referral.first_session_at, offset_days=offset_days
            )
            if when <= now:
                continue
        else:
            when = schedule.due_at(template, anchor=anchor, offset_days=offset_days)
        nudges.append(
            _nudge(
                template=key,
                due_at=when,
                service_user=service_user,
                referral=referral,
                **_recipient_fields(template.audience, service_user),
            )
        )
    return Nudge.objects.bulk_create(nudges)


def nudges_cancel(*, referral=None, service_user=None, templates=None) -> int:
    """Cancel scheduled nudges. A nudge already being sent is stopped by the send task's own
    check of the referral, made just before the gateway call."""
    pending = Nudge.objects.filter(status=Nudge.Status.SCHEDULED)
    if referral is not None:
        pending = pending.filter(referral=referral)
    if service_user is not None:
        pending = pending.filter(service_user=service_user)
    if templates is not None:
        pending = pending.filter(template__in=templates)
    return pending.update(status=Nudge.Status.CANCELLED, updated_at=timezone.now())


def nudge_to_service_user(
    *, service_user, template: str, link_path: str = "", due_at=None, referral=None
) -> Nudge:
    """An event-driven message to a service user (a questionnaire link, say). Skip rules
    (consent, opt-out, contact details, quiet hours) are applied when it is sent."""
    assert TEMPLATES[template].audience == AUDIENCE_SERVICE_USER, template
    nudge = _nudge(
        template=template,
        due_at=due_at or timezone.now(),
        service_user=service_user,
        referral=referral,
        link_path=link_path,
    )
    nudge.save()
    return nudge


def nudge_to_staff(
    *,
    template: str,
    user=None,
    email: str = "",
    service_user=None,
    service=None,
    due_at=None,
    link_path: str = "",
) -> Nudge:
    """A message to a clinician (their account) or a fixed address such as a duty inbox."""
    assert TEMPLATES[template].audience != AUDIENCE_SERVICE_USER, template
    service_id = service.pk if service is not None else service_user.service_id
    return Nudge.objects.create(
        service_id=service_id,
        audience=TEMPLATES[template].audience,
        template=template,
        service_user=service_user,
        recipient_user=user,
        recipient_email=email,
        link_path=link_path,
        due_at=due_at or timezone.now(),
    )


def routine_invitation_schedule(service_user) -> Nudge | None:
    """The "getting active" message a few days after a record is created, if the service has
    turned it on. Consent is checked when it is sent, so consent given later still counts."""
    enabled, offset_days, _ = schedule.effective_settings(service_user.service_id)["getting_active"]
    if not enabled:
        return None
    template = TEMPLATES["getting_active"]
    assert template.counts_from == FROM_RECORD_CREATED
    return Nudge.objects.create(
        service_id=service_user.service_id,
        audience=AUDIENCE_SERVICE_USER,
        template="getting_active",
        service_user=service_user,
        due_at=schedule.due_at(template, anchor=service_user.created_at, offset_days=offset_days),
    )


@transaction.atomic
def nudge_retry(*, nudge: Nudge) -> Nudge:
    """Send a failed nudge again, now, as a new message with a new gateway reference. Only
    failed nudges can be sent again. The gateway said the last one failed, so nothing is
    looked up: a lookup would find that failed message, and it must never count as sent.
    (A send whose outcome is unknown, a worker dying mid-send, is still looked up by its
    reference first: delivery.py.)"""
    updated = Nudge.objects.filter(pk=nudge.pk, status=Nudge.Status.FAILED).update(
        status=Nudge.Status.SCHEDULED,
        due_at=timezone.now(),
        last_error="",
        attempts=0,
        send_reference=uuid.uuid4(),
        gateway_id="",
        possible_duplicate=False,
        sent_at=None,
        delivered_at=None,
        claimed_at=None,
        lease_until=None,
        updated_at=timezone.now(),
    )
    if not updated:
        raise NudgeError("Only a failed message can be sent again")
    nudge.refresh_from_db()
    return nudge


class NudgeError(Exception):
    """An operation on a nudge that cannot be done, with a message fit to show."""


# GOV.UK Notify callback statuses: https://docs.notifications.service.gov.uk/ (callbacks).
NOTIFY_DELIVERED = {"delivered"}
NOTIFY_FAILED = {"permanent-failure", "temporary-failure", "technical-failure"}


def nudge_delivery_status(*, reference: str, status: str) -> bool:
    """Record what Notify says happened to a message. Unknown references are ignored (a
    password-reset email also goes through Notify). Returns whether a nudge was updated."""
    now = timezone.now()
    # A message sent again after a failure has its own reference; reports about the failed
    # one (its old reference, the id) no longer match it.
    nudges = (
        Nudge.objects.filter(
            Q(send_reference=reference) | Q(pk=reference, send_reference__isnull=True)
        )
        if _is_uuid(reference)
        else Nudge.objects.none()
    )
    if status in NOTIFY_DELIVERED:
        return bool(
            nudges.filter(status__in=[Nudge.Status.SENT, Nudge.Status.DELIVERED]).update(
                status=Nudge.Status.DELIVERED, delivered_at=now, updated_at=now
            )
        )
    if status in NOTIFY_FAILED:
        return bool(
            nudges.filter(status__in=[Nudge.Status.SENT, Nudge.Status.DELIVERED]).update(
                status=Nudge.Status.FAILED,
                last_error=f"Notify reported {status}",
                updated_at=now,
            )
        )
    return False


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except (ValueError, TypeError):
        return False
    return True
