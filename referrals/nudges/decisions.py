"""What to do with a due nudge at the moment of sending: send (on which channel, to which
address), defer (quiet hours, one message a day) or skip with a recorded reason. Decided at
send time, so consent, opt-outs and referral changes made since scheduling count."""

import logging
import re
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone

from referrals.models import Attendance, Referral
from referrals.nudges import schedule
from referrals.nudges.hooks import service_user_messages_blocker
from referrals.nudges.messages import (
    AUDIENCE_CLINICIAN,
    AUDIENCE_PROVIDER,
    AUDIENCE_SERVICE_USER,
    ON_EVENT,
    TEMPLATES,
    TO_ASSIGNED_CLINICIAN,
)
from referrals.nudges.models import Nudge

logger = logging.getLogger(__name__)
N = Nudge.Status
R = Nudge.SkipReason
UK_MOBILE = re.compile(r"^07[0-9]{9}$")  # [0-9]: \d matches any script's digits


@dataclass(frozen=True)
class Decision:
    channel: str = ""
    to: str = ""
    skip: str = ""  # a SkipReason
    defer_until: datetime | None = None
    defer_reason: str = ""


def _valid_email(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


def _valid_mobile(value: str) -> bool:
    return bool(UK_MOBILE.match(re.sub(r"[\s()-]", "", value or "").replace("+44", "0", 1)))


def _service_user_channel(nudge: Nudge, preferred_setting: str) -> Decision:
    person = nudge.service_user
    consented = {
        Nudge.Channel.EMAIL: person.consent_email_at is not None,
        Nudge.Channel.SMS: person.consent_sms_at is not None,
    }
    address = {Nudge.Channel.EMAIL: person.email, Nudge.Channel.SMS: person.mobile}
    valid = {
        Nudge.Channel.EMAIL: _valid_email(person.email),
        Nudge.Channel.SMS: _valid_mobile(person.mobile),
    }
    if preferred_setting:
        order = [preferred_setting]
    else:
        preferred = (nudge.referral.preferred_contact if nudge.referral else "") or (
            person.preferred_contact
        )
        order = (
            [Nudge.Channel.SMS, Nudge.Channel.EMAIL]
            if preferred == Nudge.Channel.SMS
            else [Nudge.Channel.EMAIL, Nudge.Channel.SMS]
        )
    usable = [channel for channel in order if consented[channel] and valid[channel]]
    if usable:
        return Decision(channel=usable[0], to=address[usable[0]])
    if not any(consented[channel] for channel in order):
        return Decision(skip=R.NO_CONSENT)
    return Decision(skip=R.NO_CONTACT)


def follows_assignment(nudge: Nudge) -> bool:
    """Whether a clinician's message goes to the person's clinician as assigned now, rather
    than to whoever was assigned when it was scheduled: the messages about one service user
    that are their clinician's to act on, and any scheduled with no named recipient."""
    if nudge.audience != AUDIENCE_CLINICIAN or nudge.service_user_id is None:
        return False
    if nudge.recipient_email:
        return False  # a fixed address, such as the duty inbox
    return nudge.template in TO_ASSIGNED_CLINICIAN or nudge.recipient_user_id is None


def _staff_address(nudge: Nudge) -> str:
    if nudge.audience == AUDIENCE_PROVIDER:
        if nudge.referral is None:
            return ""
        activity = nudge.referral.activity
        return activity.referral_email or activity.provider.email
    if nudge.recipient_email:
        return nudge.recipient_email
    if follows_assignment(nudge):
        user = nudge.service_user.assigned_clinician
        same_service = user is not None and user.organisation_id == nudge.service_id
        return user.email if same_service and user.is_active else ""
    user = nudge.recipient_user
    return user.email if user is not None and user.is_active else ""


def _went_since(referral: Referral) -> bool:
    """The provider's latest session for this referral says they went (a missed session
    corrected, or a later one attended)."""
    latest = (
        Attendance.objects.filter(referral=referral, source=Attendance.SOURCE_PROVIDER)
        .order_by("-session_date")
        .values_list("status", flat=True)
        .first()
    )
    return latest == Attendance.Status.ATTENDED


def _did_you_go_too_soon(referral: Referral, now: datetime) -> Decision | None:
    """ "Did you manage to go?" only once there is something to have gone to: a signposting,
    or a referral the provider accepted whose first session (when known) has passed. While
    the provider is silent the clinician has a task instead (referrals/worklist)."""
    if referral.kind == Referral.Kind.SIGNPOST:
        return None
    if referral.status == Referral.Status.SENT:
        return Decision(skip=R.PROVIDER_SILENT)
    first = referral.first_session_at
    if referral.status == Referral.Status.ACCEPTED and first is not None and first > now:
        return Decision(
            defer_until=schedule.next_day(first),
            defer_reason="Moved to the day after the first session",
        )
    return None


class LiveFacts:
    """What a decision reads beyond the nudge's own rows, asked one nudge at a time. A batch
    of sends uses context.BatchFacts instead: the same answers, loaded once per batch."""

    def settings(self, service_id) -> dict:
        return schedule.effective_settings(service_id)

    def blocker(self, service_id) -> str:
        return service_user_messages_blocker(service_id)

    def messaged_today(self, nudge: Nudge, now: datetime) -> bool:
        return _messaged_today(nudge, now)


def decide(nudge: Nudge, *, now: datetime, facts=None) -> Decision:
    """Whether to send now, and how; or why not."""
    facts = facts or LiveFacts()
    template = TEMPLATES[nudge.template]
    enabled, _, channel_setting = facts.settings(nudge.service_id)[nudge.template]
    if not enabled:
        return Decision(skip=R.TURNED_OFF)
    referral = nudge.referral
    if referral is not None and not referral.is_open:
        return Decision(skip=R.REFERRAL_ENDED)
    already_going = referral is not None and referral.status in (
        Referral.Status.ATTENDING,
        Referral.Status.TAKEN_UP,
    )
    if nudge.template == "did_you_go" and already_going:
        return Decision(skip=R.ALREADY_DONE)
    if nudge.template == "session_missed" and referral is not None and _went_since(referral):
        return Decision(skip=R.ALREADY_DONE)
    if nudge.template == "did_you_go" and referral is not None:
        too_soon = _did_you_go_too_soon(referral, now)
        if too_soon is not None:
            return too_soon
    provider_answered = referral is None or referral.status != Referral.Status.SENT
    if nudge.template in ("provider_reminder", "provider_final_reminder") and provider_answered:
        return Decision(skip=R.ALREADY_DONE)
    if nudge.audience != AUDIENCE_SERVICE_USER:
        address = _staff_address(nudge)
        if not _valid_email(address):
            return Decision(skip=R.NO_CONTACT)
        return Decision(channel=Nudge.Channel.EMAIL, to=address)

    person = nudge.service_user
    if person.erased_at is not None:
        return Decision(skip=R.RECORD_ERASED)
    if person.nudges_stopped_at is not None:
        return Decision(skip=R.OPTED_OUT)
    if facts.blocker(nudge.service_id):
        # Asked at send time as well as when the schedule is saved: a service without a duty
        # contact has nobody to alert if a service user answers with something worrying.
        return Decision(skip=R.NO_DUTY_CONTACT)
    decision = _service_user_channel(nudge, channel_setting)
    if decision.skip:
        return decision
    if decision.channel == Nudge.Channel.SMS:
        morning = schedule.after_quiet_hours(now)
        if morning is not None:
            return Decision(defer_until=morning, defer_reason="Quiet hours: moved to 08:00")
    if template.counts_from != ON_EVENT and facts.messaged_today(nudge, now):
        return Decision(
            defer_until=schedule.next_day(now),
            defer_reason="Already sent a message today: moved to tomorrow",
        )
    return decision


def local_midnight(now: datetime) -> datetime:
    return schedule.at_local(timezone.localtime(now).date(), datetime.min.time())


def _messaged_today(nudge: Nudge, now: datetime) -> bool:
    midnight = local_midnight(now)
    return (
        Nudge.objects.filter(
            service_user_id=nudge.service_user_id,
            audience=AUDIENCE_SERVICE_USER,
            status__in=[N.SENT, N.DELIVERED],
            sent_at__gte=midnight,
        )
        .exclude(pk=nudge.pk)
        .exists()
    )


# --- Rendering ------------------------------------------------------------------------------
