"""The outbox's part in referrals' work, registered from NudgesConfig.ready(): messages are
scheduled or cancelled in the same transaction as the change that causes them."""

from django.db.models import Exists, OuterRef

from referrals import hooks
from referrals.data_rights.services import export_value
from referrals.models import ServiceUser
from referrals.nudges import followups, monitoring
from referrals.nudges import hooks as nudge_hooks
from referrals.nudges.messages import TEMPLATES
from referrals.nudges.models import CallRequest, NotYetAnswer, Nudge
from referrals.nudges.reply_selectors import record_replies
from referrals.nudges.selectors import record_nudges
from referrals.nudges.services import (
    nudges_cancel,
    nudges_for_referral_change,
    routine_invitation_schedule,
)
from referrals.worklist.services import task_create_for_service_user
from talkingmoves.core import hooks as core_hooks
from talkingmoves.notify.models import StoredMessage
from talkingmoves.vocabulary.answers import NotYetHelp, NotYetReason
from talkingmoves.vocabulary.tasks import TaskKind


def on_referral_changed(*, referral, to_status):
    nudges_for_referral_change(referral, to_status=to_status)


def on_service_user_created(*, service_user):
    routine_invitation_schedule(service_user)


def record_section(*, person):
    messages = record_nudges(person)
    # The messages' answers include every "stop" unless older messages were left unread.
    replies = record_replies(person, stop_answers=messages.stop_answers)
    return {"nudge_messages": messages, "text_replies": replies}


def caseload_flags():
    # Asked for a call through a message link, and nobody has marked it done.
    open_call = Exists(
        CallRequest.objects.filter(service_user=OuterRef("pk"), done_at__isnull=True)
    )
    return {"has_call_request": (open_call, True)}


def subject_access(*, service_user):
    return {
        "messages": _messages(service_user),
        "call_requests": [
            {"asked_at": export_value(c.created_at), "done_at": export_value(c.done_at)}
            for c in service_user.call_requests.all()
        ],
    }


def _messages(service_user: ServiceUser) -> list[dict]:
    nudges = Nudge.objects.filter(service_user=service_user, audience="service_user")
    return [
        {
            "message": TEMPLATES[n.template].title if n.template in TEMPLATES else n.template,
            "status": n.get_status_display(),
            "due_at": export_value(n.due_at),
            "sent_at": export_value(n.sent_at),
            "channel": n.get_channel_display() if n.channel else "",
            "sent_to": n.sent_to,
            "answers": [r.get_answer_display() for r in n.responses.all()],
            "not_yet": [_not_yet(r) for r in n.responses.all() if hasattr(r, "not_yet")],
        }
        for n in nudges.prefetch_related("responses__not_yet")
    ]


def _not_yet(response) -> dict:
    details = response.not_yet
    return {
        "what_got_in_the_way": [NotYetReason(r).label for r in details.reasons],
        "in_their_words": details.other,
        "what_would_help": [NotYetHelp(h).label for h in details.helps],
        "answered_at": export_value(details.answered_at),
    }


def erase(*, service_user):
    """Nothing more goes out; addresses and stored copies are removed."""
    nudges_cancel(service_user=service_user)
    nudges = Nudge.objects.filter(service_user=service_user)
    references = [
        str(reference)
        for pair in nudges.values_list("pk", "send_reference")
        for reference in pair
        if reference is not None
    ]
    StoredMessage.objects.filter(reference__in=references).delete()
    nudges.update(sent_to="")
    NotYetAnswer.objects.filter(response__nudge__service_user=service_user).update(other="")


def task_for_text_reply(*, reply):
    """A reply that is not an answer or a STOP is for the clinician: a task, once per reply.
    The words stay on the reply, which only the assigned clinician sees (the task list is
    the whole service's), so the task does not repeat them."""
    task_create_for_service_user(
        service_user=reply.service_user,
        kind=TaskKind.TEXT_REPLY,
        source_key=f"text-reply:{reply.pk}",
    )


def register():
    nudge_hooks.text_reply_received.register(task_for_text_reply)
    hooks.referral_changed.register(on_referral_changed)
    hooks.referral_changed.register(followups.on_referral_changed)
    hooks.session_missed.register(followups.on_session_missed)
    hooks.task_created.register(followups.on_task_created)
    hooks.task_done.register(followups.on_task_done)
    hooks.service_user_created.register(on_service_user_created)
    hooks.record_sections.register(record_section)
    hooks.caseload_flags.register(caseload_flags)
    hooks.subject_access.register(subject_access)
    hooks.erasure.register(erase)
    core_hooks.on_call_figures.register(monitoring.on_call_figures)
