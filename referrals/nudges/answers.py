"""What a service user answers through the link in a message: "I went", "Not yet" (or "I can't
make it"), "I'd like someone to call me", "Stop these messages". Each answer is recorded once;
a second click on the same answer changes nothing."""

import logging

from django.db import transaction
from django.utils import timezone

from referrals import hooks
from referrals.models import Attendance, Referral, ServiceUser
from referrals.nudges import call_requests, links
from referrals.nudges.messages import AUDIENCE_SERVICE_USER, TEMPLATES
from referrals.nudges.models import CallRequest, Nudge, NudgeResponse
from referrals.nudges.services import nudge_to_staff, nudges_cancel
from referrals.pathway.services import first_attended_refresh, referral_move_by_service_user
from referrals.worklist.models import Task
from referrals.worklist.services import task_create_for_service_user, tasks_close
from talkingmoves.accounts.roles import Role
from talkingmoves.audit.actions import AccessAction
from talkingmoves.audit.services import access_log_write
from talkingmoves.core.signed_links import LinkError
from talkingmoves.vocabulary.answers import Answer

logger = logging.getLogger(__name__)
S = Referral.Status
A = Answer

LINK_ACTOR = "service user (message link)"
SELF_REPORTED = Attendance.SOURCE_SELF_REPORTED
# A referral the service user's "I went" moves on, and where to.
WENT_MOVES = {S.ACCEPTED: S.ATTENDING, S.SIGNPOSTED: S.TAKEN_UP}
# Referrals where a self-reported session is recorded. Not one still waiting for the
# provider: the answer is kept, but a session the provider never agreed to is not counted.
WENT_RECORDS_ATTENDANCE = (S.ACCEPTED, S.ATTENDING, S.SIGNPOSTED)
SERVICE_USER_TEMPLATES = tuple(
    key for key, template in TEMPLATES.items() if template.audience == AUDIENCE_SERVICE_USER
)


def _nudge_for(token: str, link) -> Nudge:
    nudge_id = link.value(token)
    nudge = (
        Nudge.objects.select_related("service_user", "referral__activity")
        .filter(pk=nudge_id, service_user__isnull=False, service_user__erased_at__isnull=True)
        .first()
    )
    if nudge is None:
        raise LinkError(links.NOT_VALID, 404)
    return nudge


def nudge_for_answer_token(token: str) -> Nudge:
    """The nudge an answer link is for: genuine, in date, and one that asks a question."""
    nudge = _nudge_for(token, links.ANSWER)
    if not TEMPLATES[nudge.template].answerable:
        raise LinkError(links.NOT_VALID, 404)
    return nudge


def nudge_for_shortlist_token(token: str) -> Nudge:
    """The nudge a sent shortlist's link is for."""
    return _nudge_for(token, links.SHORTLIST)


def nudge_for_options_token(token: str) -> Nudge:
    """The nudge a "local options" link is for."""
    return _nudge_for(token, links.OPTIONS)


@transaction.atomic
def nudge_answer(*, nudge: Nudge, answer: str) -> NudgeResponse:
    """Record an answer and act on it, once. A repeated answer returns the first response
    and does nothing else."""
    answer = A(answer)
    response, created = NudgeResponse.objects.get_or_create(nudge=nudge, answer=answer)
    if not created:
        return response
    person = ServiceUser.objects.select_for_update().get(pk=nudge.service_user_id)
    if answer == A.WENT:
        _went(nudge)
    elif answer == A.CALL_ME:
        _call_me(nudge, person)
    elif answer in (A.NOT_YET, A.CANT_MAKE_IT):
        _not_yet(nudge, person, answer)
    elif answer == A.STOP:
        _stop(person)
    access_log_write(
        system_actor=LINK_ACTOR,
        action=AccessAction.UPDATE,
        obj=person,
        path="message link: answer",  # never the token itself
    )
    # The answer is not clinical, but keep the log to ids and the choice.
    logger.info("Nudge %s answered: %s", nudge.pk, answer.value)
    return response


def _went(nudge: Nudge) -> None:
    if nudge.referral_id is None:
        return
    referral = Referral.objects.select_for_update().get(pk=nudge.referral_id)
    if referral.status not in WENT_RECORDS_ATTENDANCE:
        return  # an ended referral: the answer is recorded, nothing else changes
    Attendance.objects.get_or_create(
        referral=referral,
        session_date=timezone.localdate(),
        source=SELF_REPORTED,
        defaults={"status": Attendance.Status.ATTENDED, "recorded_by": None},
    )
    first_attended_refresh(referral)
    hooks.attendance_changed(service_user_id=referral.service_user_id)
    to = WENT_MOVES.get(referral.status)
    if to is not None:
        referral_move_by_service_user(
            referral=referral, to=to, link_actor=LINK_ACTOR, note="The service user said they went"
        )


def _activity(nudge: Nudge) -> str:
    return nudge.referral.activity.name if nudge.referral_id else ""


def _not_yet(nudge: Nudge, person: ServiceUser, answer: A) -> None:
    """Their clinician is told at once; what got in the way, if the person says on the next
    page, is added to the same task (not_yet.py)."""
    task_create_for_service_user(
        service_user=person,
        kind=Task.Kind.NOT_YET,
        referral=nudge.referral,
        detail=f"{answer.label}: {_activity(nudge)}",
        source_key=not_yet_task_key(nudge),
    )


def not_yet_task_key(nudge: Nudge) -> str:
    return f"nudge:{nudge.pk}:not_yet"


def _can_call_back(user, service_id) -> bool:
    return (
        user is not None
        and user.is_active
        and user.organisation_id == service_id
        and user.role in (Role.CLINICIAN, Role.SERVICE_LEAD)
    )


def _call_me(nudge: Nudge, person: ServiceUser) -> None:
    """The request goes to a person: the assigned clinician; when there is none who can take
    it (unassigned, left, moved service), the duty contact; without one, the service leads.
    The open request shows on the caseload, and escalates if not done within a working day
    (call_requests.py)."""
    now = timezone.now()
    _, created = CallRequest.objects.get_or_create(
        nudge=nudge,
        defaults={
            "service_user": person,
            "created_at": now,
            "escalate_at": call_requests.next_working_day(now),
        },
    )
    if not created:
        return
    task_create_for_service_user(
        service_user=person,
        kind=Task.Kind.CALL_ME,
        referral=nudge.referral,
        detail=_activity(nudge),
        source_key=f"nudge:{nudge.pk}:call",
    )
    template = call_requests.REQUESTED
    if _can_call_back(person.assigned_clinician, person.service_id):
        nudge_to_staff(template=template, user=person.assigned_clinician, service_user=person)
    else:
        call_requests.call_request_tell(
            template=template, person=person, to_duty=True, to_leads=False
        )


def _stop(person: ServiceUser) -> None:
    now = timezone.now()
    ServiceUser.objects.filter(pk=person.pk, nudges_stopped_at__isnull=True).update(
        nudges_stopped_at=now, updated_at=now
    )
    # Only messages to the person: their clinician's messages about them still go.
    nudges_cancel(service_user=person, templates=SERVICE_USER_TEMPLATES)


@transaction.atomic
def call_request_done(*, call_request: CallRequest, by, path: str = "") -> CallRequest:
    """A clinician has called the person back. Marking it twice changes nothing."""
    CallRequest.objects.filter(pk=call_request.pk, done_at__isnull=True).update(
        done_at=timezone.now(), done_by=by, escalate_at=None
    )
    access_log_write(actor=by, action=AccessAction.UPDATE, obj=call_request.service_user, path=path)
    tasks_close(service_user=call_request.service_user, kinds=[Task.Kind.CALL_ME], by=by)
    call_request.refresh_from_db()
    return call_request
