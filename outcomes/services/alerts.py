"""Risk alerts: every risk flag reaches a named person.

- Raised at once (in the transaction that stores the questionnaire) for the assigned
  clinician and the service's duty contact; the service leads stand in for either one that
  cannot be reached. Each alert is an in-app task and an email through the outbox.
- Not acknowledged by anyone within the service's working hours (default 4; Monday to
  Friday, 09:00-17:00, Europe/London) -> the service leads are alerted, and again each
  working day until someone acknowledges or the flag is reviewed.
- An alert whose email failed or was skipped is sent on: a person's to the duty contact,
  the duty contact's to the leads; the leads see it as "not delivered" on their home page.

The periodic work (`risk_flags_escalate`, `risk_alerts_reroute`) runs from beat
(outcomes/tasks.py). Each flag or alert is claimed with a conditional UPDATE in its own
transaction, so two runs at once cannot both act on it.
"""

import logging
from datetime import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from outcomes.models import OutcomeSettings, RiskAlert, RiskFlag
from outcomes.models.risk import MAX_ESCALATION_HOURS
from outcomes.services.common import OutcomeError, log_access, require_access
from outcomes.working_hours import WORKING_DAY_HOURS, add_working_hours
from referrals.nudges.models import Nudge
from referrals.nudges.services import nudge_to_staff
from talkingmoves.accounts.permissions import Action, require
from talkingmoves.accounts.roles import Role
from talkingmoves.audit.actions import AccessAction
from talkingmoves.vocabulary.message_words import says_something_clinical

logger = logging.getLogger(__name__)
R = RiskAlert.Reason

ALERT_TEMPLATE = "risk_alert"
ESCALATION_TEMPLATE = "risk_alert_escalation"
REVIEW_OVERDUE_TEMPLATE = "risk_review_overdue"
# An acknowledged flag is due its review within one working day of the first
# acknowledgement; after that the leads are alerted as for an unacknowledged one.
REVIEW_WORKING_HOURS = WORKING_DAY_HOURS
UNDELIVERED = (Nudge.Status.FAILED, Nudge.Status.SKIPPED)
BATCH = 500
NO_DUTY_CONTACT = (
    "Your service has no duty contact for risk alerts, so messages and questionnaire links "
    "to service users are turned off. A service lead can add one in the risk alert settings"
)
CLINICAL_ROLES = (Role.CLINICIAN, Role.SERVICE_LEAD)


def duty_contact_missing(service_id) -> str:
    """Why a service may not message its service users yet ("" when it may)."""
    settings_ = OutcomeSettings.objects.filter(service_id=service_id).first()
    return "" if settings_ is not None and settings_.has_duty_contact else NO_DUTY_CONTACT


def _reachable(user, service_id) -> bool:
    return (
        user is not None
        and user.is_active
        and user.organisation_id == service_id
        and user.role in CLINICAL_ROLES
    )


def _leads(service_id) -> list:
    return list(
        get_user_model().objects.filter(
            organisation_id=service_id, role=Role.SERVICE_LEAD, is_active=True
        )
    )


def _alert(flag: RiskFlag, *, reason: str, now: datetime, user=None, email: str = "") -> RiskAlert:
    """One person's task and email. The email says only that a questionnaire needs review,
    with a link to the record; nothing clinical."""
    person = flag.service_user
    template = ALERT_TEMPLATE
    if reason == R.ESCALATED:
        template = REVIEW_OVERDUE_TEMPLATE if flag.review_due_at else ESCALATION_TEMPLATE
    link = reverse("referrals:record", kwargs={"public_id": person.public_id}) + "#risk-flags"
    nudge = nudge_to_staff(
        template=template, user=user, email=email, service_user=person, link_path=link, due_at=now
    )
    return RiskAlert.objects.create(
        flag=flag,
        service_id=person.service_id,
        reason=reason,
        recipient_user=user,
        recipient_email=email,
        nudge=nudge,
        created_at=now,
    )


def risk_alerts_raise(flag: RiskFlag) -> list[RiskAlert]:
    """Alert the assigned clinician and the duty contact about a new flag, at once, and set
    when it escalates. Call in the transaction that raised the flag."""
    person = flag.service_user
    settings_ = OutcomeSettings.for_service(person.service_id)
    now = timezone.now()
    clinician = person.assigned_clinician
    if not _reachable(clinician, person.service_id):
        clinician = None
    alerts = []
    if clinician is not None:
        alerts.append(_alert(flag, reason=R.ASSIGNED_CLINICIAN, user=clinician, now=now))
    if settings_.has_duty_contact:
        alerts.append(
            _alert(flag, reason=R.DUTY_CONTACT, email=settings_.duty_contact_email, now=now)
        )
    if clinician is None or not settings_.has_duty_contact:
        for lead in _leads(person.service_id):
            if lead != clinician:
                alerts.append(_alert(flag, reason=R.STANDING_IN, user=lead, now=now))
    if not alerts:
        logger.error("Risk flag %s: nobody in the service could be alerted", flag.public_id)
    flag.escalate_at = add_working_hours(flag.raised_at, settings_.escalation_working_hours)
    RiskFlag.objects.filter(pk=flag.pk).update(escalate_at=flag.escalate_at)
    return alerts


@transaction.atomic
def risk_alert_acknowledge(*, alert: RiskAlert, by, path: str = "") -> RiskAlert:
    """Someone in the service has the alert. Anyone in the service may acknowledge (whoever
    reads the duty inbox signs in as themselves). The flag stays open until its review is
    recorded, and escalation pauses only until the review is due: the first acknowledgement
    sets that time (one working day on) and later ones do not move it."""
    alert = (
        RiskAlert.objects.select_for_update(of=("self",))
        .select_related("flag__service_user", "acknowledged_by")
        .get(pk=alert.pk)
    )
    require_access(by, alert.flag.service_user)
    if not alert.flag.is_open:
        raise OutcomeError("This risk flag has already been reviewed")
    if alert.acknowledged_at is not None:
        raise OutcomeError(f"{alert.acknowledged_by} has already acknowledged this alert")
    alert.acknowledged_at = timezone.now()
    alert.acknowledged_by = by
    alert.save(update_fields=["acknowledged_at", "acknowledged_by"])
    due = add_working_hours(alert.acknowledged_at, REVIEW_WORKING_HOURS)
    RiskFlag.objects.filter(pk=alert.flag_id, review_due_at__isnull=True).update(
        review_due_at=due, escalate_at=due
    )
    log_access(by=by, action=AccessAction.UPDATE, obj=alert.flag.service_user, path=path)
    return alert


def _next_escalation(deadline: datetime, now: datetime) -> datetime:
    """The same working time on the next working day; from now if beat fell behind."""
    following = add_working_hours(deadline, WORKING_DAY_HOURS)
    return following if following > now else add_working_hours(now, WORKING_DAY_HOURS)


def risk_flags_escalate(*, now: datetime | None = None) -> int:
    """Alert the service leads about each open flag nobody has acknowledged by its deadline,
    or whose review is overdue after an acknowledgement. Returns how many flags were
    escalated."""
    now = now or timezone.now()
    due = RiskFlag.objects.filter(reviewed_at__isnull=True, escalate_at__lte=now)
    escalated = 0
    for pk, deadline in list(due.values_list("pk", "escalate_at")[:BATCH]):
        if deadline is None:  # cleared since the query (the filter excludes it)
            continue
        with transaction.atomic():
            claimed = RiskFlag.objects.filter(
                pk=pk, escalate_at=deadline, reviewed_at__isnull=True
            ).update(
                escalate_at=_next_escalation(deadline, now),
                escalations=F("escalations") + 1,
                last_escalated_at=now,
            )
            if not claimed:
                continue  # acknowledged, reviewed or escalated by another run meanwhile
            flag = RiskFlag.objects.select_related("service_user").get(pk=pk)
            if flag.service_user.erased_at is not None:
                RiskFlag.objects.filter(pk=pk).update(escalate_at=None)
                continue
            leads = _leads(flag.service_user.service_id)
            for lead in leads:
                _alert(flag, reason=R.ESCALATED, user=lead, now=now)
            if not leads:
                duty = OutcomeSettings.for_service(flag.service_user.service_id)
                if duty.has_duty_contact:
                    _alert(flag, reason=R.ESCALATED, email=duty.duty_contact_email, now=now)
                logger.error("Risk flag %s: the service has no lead to escalate to", flag.public_id)
            escalated += 1
    return escalated


def _reroute_targets(alert: RiskAlert) -> list[tuple[object, str]]:
    """Who hears instead: a person's alert goes to the duty contact (the leads if there is
    none); the duty contact's to the leads; a lead's rerouted alert goes no further (the
    leads see it on their home page)."""
    service_id = alert.service_id
    if alert.recipient_email:
        return [(lead, "") for lead in _leads(service_id)]
    if alert.reason == R.REROUTED:
        return []
    settings_ = OutcomeSettings.for_service(service_id)
    failed = alert.recipient_user.email.lower() if alert.recipient_user else ""
    if settings_.has_duty_contact and settings_.duty_contact_email.lower() != failed:
        return [(None, settings_.duty_contact_email)]
    return [(lead, "") for lead in _leads(service_id) if lead.pk != alert.recipient_user_id]


def risk_alerts_reroute(*, now: datetime | None = None) -> int:
    """Mark alerts whose email failed or was skipped as not delivered and send them on.
    Returns how many alerts were found undelivered."""
    now = now or timezone.now()
    undelivered = RiskAlert.objects.filter(
        undelivered_at__isnull=True, nudge__status__in=UNDELIVERED
    )
    found = 0
    for pk in list(undelivered.values_list("pk", flat=True)[:BATCH]):
        with transaction.atomic():
            if not RiskAlert.objects.filter(pk=pk, undelivered_at__isnull=True).update(
                undelivered_at=now
            ):
                continue
            found += 1
            alert = RiskAlert.objects.select_related(
                "flag__service_user", "recipient_user", "nudge"
            ).get(pk=pk)
            status = alert.nudge.status if alert.nudge else "no email"
            logger.warning("Risk alert %s was not delivered (%s)", alert.public_id, status)
            flag = alert.flag
            if not flag.is_open or flag.service_user.erased_at is not None:
                continue
            for user, email in _reroute_targets(alert):
                _alert(flag, reason=R.REROUTED, user=user, email=email, now=now)
    return found


@transaction.atomic
def risk_settings_save(
    *,
    by,
    duty_contact_email: str,
    escalation_working_hours: int,
    message_sender_name: str | None = None,
    path: str = "",
) -> OutcomeSettings:
    """A service lead sets who is alerted with the assigned clinician, and how long before
    an alert nobody has acknowledged goes to the leads. The duty contact cannot be removed,
    only changed: without one, service users cannot be messaged. A new number of hours
    applies to flags raised from then on."""
    require(by, Action.MANAGE_SERVICE_SETTINGS)
    email = (duty_contact_email or "").strip().lower()
    if not email:
        raise OutcomeError("Enter the duty contact's email address", "duty_contact_email")
    try:
        validate_email(email)
    except ValidationError:
        raise OutcomeError(
            "Enter an email address in the correct format, like duty@nhs.net",
            "duty_contact_email",
        ) from None
    hours = escalation_working_hours
    if isinstance(hours, bool) or not isinstance(hours, int):
        raise OutcomeError("Hours must be a whole number, like 4", "escalation_working_hours")
    if not 1 <= hours <= MAX_ESCALATION_HOURS:
        raise OutcomeError(
            f"Hours must be from 1 to {MAX_ESCALATION_HOURS}", "escalation_working_hours"
        )
    sender = None if message_sender_name is None else " ".join(message_sender_name.split())
    if sender is not None and not sender:
        raise OutcomeError("Enter the name messages come from", "message_sender_name")
    if sender is not None and says_something_clinical(sender):
        raise OutcomeError(
            "The name must not say what the service treats (like therapy or mental health): "
            "anyone may see it on a locked phone",
            "message_sender_name",
        )
    settings_, _ = OutcomeSettings.objects.select_for_update().get_or_create(
        service_id=by.organisation_id
    )
    settings_.duty_contact_email = email
    settings_.escalation_working_hours = hours
    fields = ["duty_contact_email", "escalation_working_hours"]
    if sender is not None:
        settings_.message_sender_name = sender
        fields.append("message_sender_name")
    settings_.full_clean()
    settings_.save(update_fields=fields)
    log_access(by=by, action=AccessAction.UPDATE, obj=settings_, path=path)
    return settings_
