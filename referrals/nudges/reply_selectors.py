"""What the record shows of text replies and of messages stopped and started again."""

from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone

from referrals.nudges.models import MessagesConsentEvent, NudgeResponse, TextReply
from referrals.nudges.replies import unread_filter
from talkingmoves.core.choices import label
from talkingmoves.core.compiled_query import CompiledValues, an_id
from talkingmoves.vocabulary.answers import Answer
from talkingmoves.vocabulary.replies import MessagesChange, MessagesChangeSource


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%-d %B %Y at %H:%M")


@dataclass
class RecordReplies:
    # The assigned clinician's to read: the words themselves.
    unread: list[dict] = field(default_factory=list)
    # Stopped and started again, newest first (no words of the person's own).
    changes: list[dict] = field(default_factory=list)
    stopped: bool = False


# Both compiled once (talkingmoves/core/compiled_query.py): every record reads them.
_UNREAD = CompiledValues(
    lambda _shape, *, person: (
        TextReply.objects.filter(unread_filter(), service_user_id=person)
        .order_by("-received_at")
        .values("pk", "received_at", "text")
    ),
    person=an_id(),
)
_CONSENT_EVENTS = CompiledValues(
    lambda _shape, *, person: MessagesConsentEvent.objects.filter(service_user_id=person).values(
        "at", "change", "source", "by__full_name", "consent_note"
    ),
    person=an_id(),
)


def record_replies(person, *, stop_answers: list[datetime] | None = None) -> RecordReplies:
    """`stop_answers`: when each "stop" answer was given, if the caller has read them all."""
    unread = [
        {"id": row["pk"], "when": _when(row["received_at"]), "text": row["text"]}
        for row in _UNREAD.rows(person=person.pk)
    ]
    events = [
        (
            row["at"],
            {
                "when": _when(row["at"]),
                "what": label(MessagesConsentEvent, "change", row["change"]),
                "how": label(MessagesConsentEvent, "source", row["source"]),
                "by": row["by__full_name"] or "",
                "note": row["consent_note"],
            },
        )
        for row in _CONSENT_EVENTS.rows(person=person.pk)
    ]
    # "Stop these messages" on the answer page is recorded as the answer itself.
    if stop_answers is None:
        stop_answers = list(
            NudgeResponse.objects.filter(
                nudge__service_user=person, answer=Answer.STOP
            ).values_list("answered_at", flat=True)
        )
    recorded = {at.replace(microsecond=0) for at, row in events if row["what"]}
    for answered_at in stop_answers:
        if answered_at.replace(microsecond=0) in recorded:
            continue
        events.append(
            (
                answered_at,
                {
                    "when": _when(answered_at),
                    "what": MessagesChange.STOPPED.label,
                    "how": MessagesChangeSource.MESSAGE_LINK.label,
                    "by": "",
                    "note": "",
                },
            )
        )
    events.sort(key=lambda pair: pair[0], reverse=True)
    return RecordReplies(
        unread=unread,
        changes=[row for _, row in events],
        stopped=person.nudges_stopped_at is not None,
    )


def unread_reply_for(user, reply_id) -> TextReply | None:
    """A reply only its service user's assigned clinician may mark read."""
    return (
        TextReply.objects.select_related("service_user")
        .filter(
            pk=reply_id,
            service_user__assigned_clinician=user,
            service_user__service_id=user.organisation_id,
            service_user__erased_at__isnull=True,
        )
        .first()
    )
