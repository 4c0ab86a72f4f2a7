"""Read queries for the nudge pages: a record's messages, the messages page's counts and
failures, and the local outbox (the local options a "getting active" message links to are
in local_options.py)."""

import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import connection
from django.db.models import CharField, Count, Exists, F, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Cast, Replace
from django.utils import timezone

from referrals.nudges.messages import TEMPLATES
from referrals.nudges.models import CallRequest, Nudge, NudgeResponse
from talkingmoves.accounts.roles import Role
from talkingmoves.core.choices import label
from talkingmoves.core.compiled_query import CompiledValues, an_id
from talkingmoves.notify.models import StoredMessage
from talkingmoves.vocabulary.answers import Answer

N = Nudge.Status
RECORD_NUDGES_SHOWN = 50
FAILED_SHOWN = 100

STATUS_TAG: dict[str, str] = {
    N.SCHEDULED: "nhsuk-tag--blue",
    N.SENDING: "nhsuk-tag--blue",
    N.SENT: "nhsuk-tag--green",
    N.DELIVERED: "nhsuk-tag--green",
    N.FAILED: "nhsuk-tag--red",
    N.SKIPPED: "nhsuk-tag--grey",
    N.CANCELLED: "nhsuk-tag--grey",
}


def _when(moment: datetime | None) -> str:
    return timezone.localtime(moment).strftime("%-d %B %Y at %H:%M") if moment else ""


def template_title(key: str) -> str:
    template = TEMPLATES.get(key)
    return template.title if template else key


# --- The service-user record --------------------------------------------------------------


@dataclass(frozen=True)
class RecordMessages:
    rows: list[dict] = field(default_factory=list)
    call_requests: list[dict] = field(default_factory=list)
    more: bool = False
    stop_answers: list[datetime] | None = None  # oldest first; None: older ones were not read


# What a record's row shows of a message and of its call request (_record_row): no text,
# no recipient, none of the sending's bookkeeping.
RECORD_NUDGE_COLUMNS = (
    "pk", "template", "audience", "channel", "status", "due_at", "sent_at", "skip_reason",
    "deferred_reason", "last_error", "call_request__created_at", "call_request__done_at",
)  # fmt: skip


# Both compiled once (talkingmoves/core/compiled_query.py): every record reads them, and
# building and compiling them took longer than running them.
_RECORD_NUDGES = CompiledValues(
    lambda _shape, *, person: (
        Nudge.objects.filter(service_user_id=person)
        .order_by("-due_at", "-pk")
        .values(*RECORD_NUDGE_COLUMNS)[: RECORD_NUDGES_SHOWN + 1]
    ),
    person=an_id(),
)
# The answers to all the person's messages (only those shown are looked up), oldest first.
_RECORD_ANSWERS = CompiledValues(
    lambda _shape, *, person: (
        NudgeResponse.objects.filter(nudge__service_user_id=person)
        .order_by("answered_at")
        .values("nudge_id", "answer", "answered_at")
    ),
    person=an_id(),
)


def record_nudges(service_user) -> RecordMessages:
    """Each message to or about the person, newest first, with its answers, and their open
    call requests. Two queries: the nudges (with any call request) and their answers, read
    as values: the rows are words, no instance is needed."""
    nudges = _RECORD_NUDGES.rows(person=service_user.pk)
    more = len(nudges) > RECORD_NUDGES_SHOWN
    nudges = nudges[:RECORD_NUDGES_SHOWN]
    answers: dict[uuid.UUID, list[tuple[str, datetime]]] = {}
    if nudges:
        for row in _RECORD_ANSWERS.rows(person=service_user.pk):
            answers.setdefault(row["nudge_id"], []).append((row["answer"], row["answered_at"]))
    rows, calls = [], []
    stops = []
    for nudge in nudges:
        given = answers.get(nudge["pk"], [])
        rows.append(_record_row(nudge, given))
        stops += [answered_at for answer, answered_at in given if answer == Answer.STOP]
        if nudge["call_request__created_at"] and nudge["call_request__done_at"] is None:
            calls.append(
                {
                    "nudge_id": nudge["pk"],
                    "asked": _when(nudge["call_request__created_at"]),
                    "about": template_title(nudge["template"]),
                }
            )
    # Open call requests whose message has dropped off the list still need doing.
    if more:
        older = CallRequest.objects.filter(service_user=service_user, done_at__isnull=True).exclude(
            nudge_id__in=[n["pk"] for n in nudges]
        )
        for request in older.select_related("nudge"):
            calls.append(
                {
                    "nudge_id": request.nudge_id,
                    "asked": _when(request.created_at),
                    "about": template_title(request.nudge.template),
                }
            )
    return RecordMessages(rows, calls, more, stop_answers=None if more else sorted(stops))


AUDIENCE_WORDS: dict[str, str] = {
    Nudge.Audience.SERVICE_USER: "To the service user",
    Nudge.Audience.PROVIDER: "To the provider",
    Nudge.Audience.CLINICIAN: "To their clinician",
}


def _record_row(nudge: dict, answers: list[tuple[str, datetime]]) -> dict:
    """One message (RECORD_NUDGE_COLUMNS) and its answers, oldest first, in words."""
    status = nudge["status"]
    if nudge["sent_at"] is not None:
        when = f"Sent {_when(nudge['sent_at'])}"
    elif status in Nudge.PENDING_STATUSES:
        when = f"Due {_when(nudge['due_at'])}"
    else:
        when = f"Was due {_when(nudge['due_at'])}"
    reasons = []
    if status == N.SKIPPED and nudge["skip_reason"]:
        reasons.append(f"Not sent: {label(Nudge, 'skip_reason', nudge['skip_reason']).lower()}")
    if nudge["deferred_reason"] and status in Nudge.PENDING_STATUSES:
        reasons.append(nudge["deferred_reason"])
    if status == N.FAILED and nudge["last_error"]:
        reasons.append("The message gateway could not send it")
    to = AUDIENCE_WORDS.get(nudge["audience"], "")
    if nudge["channel"]:
        to += f" by {label(Nudge, 'channel', nudge['channel']).lower()}"
    return {
        "title": template_title(nudge["template"]),
        "to": to,
        "when": when,
        "status": label(Nudge, "status", status),
        "status_css": STATUS_TAG.get(status, "nhsuk-tag--grey"),
        "reasons": reasons,
        "answers": [
            f"{label(NudgeResponse, 'answer', answer)} ({_when(answered_at)})"
            for answer, answered_at in answers
        ],
    }


def open_call_request_for(user, nudge_id) -> CallRequest | None:
    """An open call request the user may mark as done: their own service's people only."""
    return (
        CallRequest.objects.select_related("service_user")
        .filter(
            nudge_id=nudge_id,
            service_user__service_id=user.organisation_id,
            service_user__erased_at__isnull=True,
        )
        .first()
        if user.role in (Role.CLINICIAN, Role.SERVICE_LEAD)
        else None
    )


# --- The messages page (service leads and admins) -----------------------------------------


def nudges_visible_to(user) -> QuerySet:
    if user.is_superuser:
        return Nudge.objects.all()
    if user.role == Role.SERVICE_LEAD:
        return Nudge.objects.filter(service_id=user.organisation_id)
    return Nudge.objects.none()


def template_counts(user, *, days: int, now: datetime | None = None) -> list[dict]:
    """Per template: messages that fell due in the period, and how many were sent,
    delivered, answered, failed and skipped. One grouped query."""
    now = now or timezone.now()
    since = now - timedelta(days=days)
    sent = Q(status__in=[N.SENT, N.DELIVERED])
    # PostgreSQL's triggers keep `answered` on the message (nudges migration 0011), in the
    # index the page reads; the embedded SQLite of `make run` looks each answer up.
    answered = (
        Q(answered=True)
        if connection.vendor == "postgresql"
        else Exists(NudgeResponse.objects.filter(nudge=OuterRef("pk")))
    )
    # Counts of a column in the covering index (template: never empty), not of the id, so
    # the page reads the index alone.
    rows = (
        nudges_visible_to(user)
        .filter(due_at__gte=since, due_at__lte=now)
        .values("template")
        .annotate(
            total=Count("template"),
            sent=Count("template", filter=sent),
            delivered=Count("template", filter=Q(status=N.DELIVERED)),
            answered=Count("template", filter=answered),
            failed=Count("template", filter=Q(status=N.FAILED)),
            skipped=Count("template", filter=Q(status=N.SKIPPED)),
            # With these the row adds up: due = waiting + sent + failed + skipped + cancelled.
            waiting=Count("template", filter=Q(status__in=Nudge.PENDING_STATUSES)),
            cancelled=Count("template", filter=Q(status=N.CANCELLED)),
        )
        .order_by("template")
    )
    order = {key: position for position, key in enumerate(TEMPLATES)}
    result = [
        {**row, "title": template_title(row["template"]), "answerable": _answerable(row)}
        for row in rows
    ]
    return sorted(result, key=lambda row: order.get(row["template"], len(order)))


def _answerable(row) -> bool:
    template = TEMPLATES.get(row["template"])
    return bool(template and template.answerable)


def failed_nudges(user) -> list[dict]:
    """The newest failed messages with their error: never the message text, never a name."""
    nudges = (
        nudges_visible_to(user)
        .filter(status=N.FAILED)
        .select_related("service")
        .order_by("-updated_at", "-pk")[:FAILED_SHOWN]
    )
    return [
        {
            "id": nudge.pk,
            "title": template_title(nudge.template),
            "audience": nudge.get_audience_display(),
            "channel": nudge.get_channel_display() if nudge.channel else "",
            "service": nudge.service.name,
            "when": _when(nudge.updated_at),
            "attempts": nudge.attempts,
            "error": nudge.last_error,
        }
        for nudge in nudges
    ]


def failed_nudge_for(user, nudge_id) -> Nudge | None:
    return nudges_visible_to(user).filter(pk=nudge_id).first()


# --- The local outbox ----------------------------------------------------------------------


def outbox_messages(user) -> QuerySet:
    """Messages the local gateway stored, newest first: all for an admin, a lead's own
    service's nudges otherwise."""
    messages = StoredMessage.objects.order_by("-created_at", "-pk")
    if user.is_superuser:
        return messages
    if user.role != Role.SERVICE_LEAD:
        return messages.none()
    nudges = Nudge.objects.filter(service_id=user.organisation_id)
    if connection.vendor == "postgresql":
        # A message sent again after a failure went under its own reference.
        resent = nudges.filter(send_reference__isnull=False)
        return messages.filter(
            Q(reference__in=nudges.annotate(ref=Cast("id", CharField())).values("ref"))
            | Q(
                reference__in=resent.annotate(ref=Cast("send_reference", CharField())).values("ref")
            )
        )
    # SQLite keeps UUIDs as 32 hex digits; references carry the hyphens.
    return messages.annotate(ref=Replace(F("reference"), Value("-"), Value(""))).filter(
        ref__in=nudges.values("id")
    )


# Links that act for the person they were sent to: a service user's answer, options and
# questionnaire pages, and a provider's accept-or-decline page.
PERSONAL_LINK = re.compile(
    r"https?://\S+?/(?:n|outcomes/questionnaire|service-users/inbox/answer)/[^/\s]+/(?:options/)?"
)
HIDDEN_LINK = "[personal link, hidden]"


def outbox_rows(stored: list[StoredMessage], *, show_links: bool) -> list[dict]:
    """What the local gateway stored. Personal links are shown to admins only (to try the
    pages in a demo): with one, a lead could answer as the person, or as the provider."""

    def text(value: str) -> str:
        return value if show_links else PERSONAL_LINK.sub(HIDDEN_LINK, value)

    return [
        {
            "when": _when(message.created_at),
            "channel": message.get_channel_display(),
            "recipient": message.recipient,
            "subject": (message.personalisation or {}).get("subject", ""),
            "body": text((message.personalisation or {}).get("body", "")),
            "template": message.template,
        }
        for message in stored
    ]


def service_users_in(stored: list[StoredMessage]) -> list:
    """The service users a page of stored messages was about, for the access log."""
    ids = []
    for message in stored:
        try:
            ids.append(uuid.UUID(message.reference))
        except (ValueError, TypeError):
            continue
    nudges = Nudge.objects.filter(
        Q(pk__in=ids) | Q(send_reference__in=ids), service_user__isnull=False
    ).select_related("service_user")
    return list({nudge.service_user_id: nudge.service_user for nudge in nudges}.values())
