"""After "Not yet" (or "I can't make it"): what got in the way and what would help. The
reasons join the barriers on the person's record; the clinician's task gets the answer; "a
call" is a call request, "remind me later" a later message."""

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from referrals.models import ServiceUser
from referrals.nudges import answers
from referrals.nudges.models import NotYetAnswer, Nudge, NudgeResponse
from referrals.nudges.services import nudge_to_service_user
from referrals.worklist.models import Task
from talkingmoves.audit.actions import AccessAction
from talkingmoves.audit.services import access_log_write
from talkingmoves.vocabulary.answers import Answer, NotYetHelp, NotYetReason
from talkingmoves.vocabulary.barriers import Barrier

logger = logging.getLogger(__name__)
ASKED_AFTER = (Answer.NOT_YET, Answer.CANT_MAKE_IT)
REMIND_AFTER = timedelta(days=14)
# "How did it go?" messages: "remind me later" sends the same question again. Any other
# message (the confirmation, the missed-session one) is followed by "Did you manage to go?".
ASKS_AGAIN = ("did_you_go", "check_in", "follow_up")


def not_yet_response(nudge: Nudge) -> NudgeResponse | None:
    """The "not yet" answer this follow-up belongs to, if the person gave one."""
    return (
        NudgeResponse.objects.filter(nudge=nudge, answer__in=ASKED_AFTER)
        .order_by("answered_at")
        .first()
    )


@transaction.atomic
def nudge_not_yet_details(
    *, nudge: Nudge, reasons: list[str], helps: list[str], other: str = ""
) -> NotYetAnswer | None:
    """Record the follow-up once; a second submission changes nothing and returns None."""
    response = not_yet_response(nudge)
    if response is None:
        return None
    reasons = [NotYetReason(r).value for r in reasons]
    helps = [NotYetHelp(h).value for h in helps]
    details, created = NotYetAnswer.objects.get_or_create(
        response=response,
        defaults={"reasons": reasons, "helps": helps, "other": other.strip()[:200]},
    )
    if not created:
        return None
    person = ServiceUser.objects.select_for_update().get(pk=nudge.service_user_id)
    _add_barriers(person, reasons)
    _tell_clinician(nudge, details)
    if NotYetHelp.CALL in helps:
        answers._call_me(nudge, person)
    if NotYetHelp.REMIND_LATER in helps and nudge.referral_id is not None:
        nudge_to_service_user(
            service_user=person,
            template=nudge.template if nudge.template in ASKS_AGAIN else "did_you_go",
            referral=nudge.referral,
            due_at=timezone.now() + REMIND_AFTER,
        )
    access_log_write(
        system_actor=answers.LINK_ACTOR,
        action=AccessAction.UPDATE,
        obj=person,
        path="message link: not yet",
    )
    logger.info("Nudge %s: not-yet details recorded", nudge.pk)  # never the answers
    return details


def _add_barriers(person: ServiceUser, reasons: list[str]) -> None:
    """Reasons that are also barriers on the record are added to it (never removed)."""
    known = set(Barrier.values)
    adding = [r for r in reasons if r in known and r not in person.barriers]
    if adding:
        ServiceUser.objects.filter(pk=person.pk).update(
            barriers=[*person.barriers, *adding], updated_at=timezone.now()
        )


def _tell_clinician(nudge: Nudge, details: NotYetAnswer) -> None:
    """The answer goes on the task made when they said "not yet"."""
    lines = []
    if details.reasons:
        lines.append(
            "What got in the way: " + ", ".join(NotYetReason(r).label for r in details.reasons)
        )
    if details.other:
        lines.append(f"In their words: {details.other}")
    if details.helps:
        lines.append("What would help: " + ", ".join(NotYetHelp(h).label for h in details.helps))
    task = Task.objects.filter(
        service_user_id=nudge.service_user_id,
        kind=Task.Kind.NOT_YET,
        source_key=answers.not_yet_task_key(nudge),
    ).first()
    if task is None:
        return
    Task.objects.filter(pk=task.pk).update(
        detail="\n".join([task.detail, *lines])[:2000], done_at=None, done_by=None
    )
