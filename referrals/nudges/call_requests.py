"""A service user's "I'd like someone to call me" must reach a person and be acted on.

At once (answers.py) it goes to the assigned clinician when they can take it, otherwise to
the duty contact, otherwise to the service leads. If it is not marked done within a working
day, the duty contact and the leads are told, and again each working day until it is.
Each request is claimed with a conditional UPDATE on its escalate_at, so two runs at once
cannot both escalate it.
"""

import logging
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from referrals.nudges import hooks as nudge_hooks
from referrals.nudges.models import CallRequest, Nudge
from referrals.nudges.schedule import add_working_days
from referrals.nudges.services import nudge_to_staff
from talkingmoves.accounts.roles import Role

logger = logging.getLogger(__name__)
REQUESTED = "clinician_call_requested"
OVERDUE = "call_request_overdue"
BATCH = 500


def leads_of(service_id) -> list:
    return list(
        get_user_model().objects.filter(
            organisation_id=service_id, role=Role.SERVICE_LEAD, is_active=True
        )
    )


def next_working_day(moment: datetime) -> datetime:
    """The same wall-clock time on the next working day (Monday to Friday)."""
    local = timezone.localtime(moment)
    day = add_working_days(local.date(), 1)
    return timezone.make_aware(datetime.combine(day, local.time().replace(tzinfo=None)))


def call_request_tell(*, template: str, person, to_duty: bool, to_leads: bool) -> list[Nudge]:
    """Email the duty contact and/or the service leads about a person's call request."""
    sent = []
    duty = nudge_hooks.duty_contact_email(person.service_id) if to_duty else ""
    if duty:
        sent.append(nudge_to_staff(template=template, email=duty, service_user=person))
    if to_leads or not duty:
        for lead in leads_of(person.service_id):
            sent.append(nudge_to_staff(template=template, user=lead, service_user=person))
    if not sent:
        logger.error("Call request for a person in service %s: nobody to tell", person.service_id)
    return sent


def call_requests_escalate(*, now: datetime | None = None) -> int:
    """Tell the duty contact and the leads about each call request not done in time.
    Returns how many requests were escalated."""
    now = now or timezone.now()
    due = CallRequest.objects.filter(done_at__isnull=True, escalate_at__lte=now)
    escalated = 0
    for pk, deadline in list(due.values_list("pk", "escalate_at")[:BATCH]):
        with transaction.atomic():
            following = next_working_day(deadline)
            claimed = CallRequest.objects.filter(
                pk=pk, escalate_at=deadline, done_at__isnull=True
            ).update(
                escalate_at=following if following > now else next_working_day(now),
                escalations=F("escalations") + 1,
            )
            if not claimed:
                continue  # done, or escalated by another run meanwhile
            request = CallRequest.objects.select_related("service_user").get(pk=pk)
            if request.service_user.erased_at is not None:
                CallRequest.objects.filter(pk=pk).update(escalate_at=None)
                continue
            call_request_tell(
                template=OVERDUE, person=request.service_user, to_duty=True, to_leads=True
            )
            escalated += 1
    return escalated
