"""Text messages service users send back, through GOV.UK Notify's received-text-message
callback, and starting messages again after a stop.

A reply of 1, 2 or 3 answers the last message that offered those choices (REPLY_ANSWERS),
through the same service as the answer page; STOP and its usual variants stop messages at
once; anything else is kept for the person's assigned clinician. A reply from a number we
never texted is dropped: logged by its Notify id, never its words or number.
"""

import logging
import re
import unicodedata
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Replace
from django.utils import timezone

from referrals.models import ServiceUser
from referrals.nudges import answers
from referrals.nudges.hooks import text_reply_received
from referrals.nudges.messages import AUDIENCE_SERVICE_USER, REPLY_ANSWERS, TEMPLATES
from referrals.nudges.models import MessagesConsentEvent, Nudge, TextReply
from referrals.nudges.services import nudges_cancel
from talkingmoves.audit.actions import AccessAction
from talkingmoves.audit.services import access_log_write
from talkingmoves.vocabulary.replies import STOP_EXTRAS, STOP_WORDS

logger = logging.getLogger(__name__)
K = TextReply.Kind
C = MessagesConsentEvent.Change
SOURCE = MessagesConsentEvent.Source
REPLY_ACTOR = "service user (text reply)"
# A number answers the last message that offered numbered choices, if it is this recent;
# an older one is passed to the clinician as it stands.
ANSWER_WINDOW = timedelta(days=14)
REPLY_TEMPLATES = tuple(key for key, t in TEMPLATES.items() if t.sms_replies)
SERVICE_USER_TEMPLATES = tuple(
    key for key, t in TEMPLATES.items() if t.audience == AUDIENCE_SERVICE_USER
)
MAX_TEXT = 2000


class RestartError(Exception):
    """Messages cannot be started again as asked, with a message fit to show."""


# --- Reading a reply ------------------------------------------------------------------------


def words_of(text: str) -> list[str]:
    """Lower-case words, without emoji, punctuation or extra spaces: "STOP please 🙏" and
    " stop." read the same."""
    kept = []
    for char in unicodedata.normalize("NFKC", text or ""):
        category = unicodedata.category(char)
        kept.append(char.lower() if category[0] in "LN" else " ")
    return "".join(kept).split()


def is_stop(words: list[str]) -> bool:
    if not words:
        return False
    joined = "".join(words)
    if joined in STOP_WORDS:  # "STOP ALL", "opt out"
        return True
    rest = [word for word in words if word not in STOP_EXTRAS]
    return len(rest) == 1 and rest[0] in STOP_WORDS


def reply_answer(words: list[str]) -> str:
    """The answer a reply picks by number ("1", "1 👍", " 2. "), or ''."""
    return REPLY_ANSWERS[words[0]] if len(words) == 1 and words[0] in REPLY_ANSWERS else ""


def number_forms(number: str) -> list[str]:
    """A UK mobile as we may have stored it, digits only: 07700900111 and 447700900111.
    Notify sends the international form, without the +."""
    digits = re.sub(r"\D", "", number or "")
    if digits.startswith("0"):
        digits = "44" + digits[1:]
    if not digits.startswith("44") or len(digits) < 11:
        return [digits] if digits else []
    return [digits, "0" + digits[2:]]


def _people_with(number: str):
    forms = number_forms(number)
    if not forms:
        return ServiceUser.objects.none()
    # The separators people type in a mobile number, removed in SQL that SQLite (the demo)
    # runs too.
    digits: F | Replace = F("mobile")
    for separator in (" ", "-", "+", "(", ")", "."):
        digits = Replace(digits, Value(separator), Value(""))
    return (
        ServiceUser.objects.filter(erased_at__isnull=True)
        .exclude(mobile="")
        .annotate(mobile_digits=digits)
        .filter(mobile_digits__in=forms)
    )


def _last_text_to(people) -> Nudge | None:
    """The last text message we sent any of these people: whose reply this is."""
    return (
        Nudge.objects.filter(
            service_user__in=people,
            channel=Nudge.Channel.SMS,
            status__in=[Nudge.Status.SENT, Nudge.Status.DELIVERED],
        )
        .select_related("service_user")
        .order_by("-sent_at")
        .first()
    )


# --- Receiving ------------------------------------------------------------------------------


def text_reply_receive(
    *, notify_id: str, source_number: str, message: str, received_at: datetime | None = None
) -> str:
    """Record one reply and act on it, once per Notify id. Returns what happened:
    answered, stopped, kept, duplicate or unknown number."""
    received_at = received_at or timezone.now()
    if TextReply.objects.filter(notify_id=notify_id).exists():
        return "duplicate"
    last = _last_text_to(_people_with(source_number))
    if last is None:
        logger.info("Text reply %s from a number we have not texted: dropped", notify_id)
        return "unknown number"
    try:
        with transaction.atomic():
            return _act(last, notify_id=notify_id, message=message, received_at=received_at)
    except IntegrityError:
        return "duplicate"  # the same callback, twice at once


def _act(last: Nudge, *, notify_id: str, message: str, received_at: datetime) -> str:
    assert last.service_user_id is not None  # found through its service user
    person = ServiceUser.objects.select_for_update().get(pk=last.service_user_id)
    words = words_of(message)
    asked = (
        Nudge.objects.filter(
            service_user=person,
            channel=Nudge.Channel.SMS,
            template__in=REPLY_TEMPLATES,
            status__in=[Nudge.Status.SENT, Nudge.Status.DELIVERED],
            sent_at__gte=received_at - ANSWER_WINDOW,
        )
        .order_by("-sent_at")
        .first()
    )
    answer = reply_answer(words) if asked is not None else ""
    if is_stop(words):
        kind = K.STOP
    elif answer:
        kind = K.ANSWER
    else:
        kind = K.FREE_TEXT
    reply = TextReply.objects.create(
        service_user=person,
        nudge=asked if kind == K.ANSWER else None,
        notify_id=notify_id,
        received_at=received_at,
        text=(message or "")[:MAX_TEXT],
        kind=kind,
        answer=answer,
        # Nothing to read in a number or a STOP: the record shows what it did instead.
        read_at=None if kind == K.FREE_TEXT else timezone.now(),
    )
    access_log_write(
        system_actor=REPLY_ACTOR, action=AccessAction.UPDATE, obj=person, path="text reply"
    )
    if kind == K.STOP:
        messages_stop(person=person, source=SOURCE.TEXT_REPLY)
        logger.info("Text reply %s: messages stopped", notify_id)
        return "stopped"
    if kind == K.ANSWER and asked is not None:
        answers.nudge_answer(nudge=asked, answer=answer)
        logger.info("Text reply %s answered nudge %s", notify_id, asked.pk)
        return "answered"
    text_reply_received(reply=reply)
    logger.info("Text reply %s kept for the clinician", notify_id)
    return "kept"


# --- Stopping and starting again ------------------------------------------------------------


def messages_stop(*, person: ServiceUser, source: str, by=None) -> bool:
    """No more messages to the person, at once; their clinician's messages about them still
    go. Returns False when they were already stopped."""
    now = timezone.now()
    stopped = ServiceUser.objects.filter(pk=person.pk, nudges_stopped_at__isnull=True).update(
        nudges_stopped_at=now, updated_at=now
    )
    nudges_cancel(service_user=person, templates=SERVICE_USER_TEMPLATES)
    if stopped:
        MessagesConsentEvent.objects.create(
            service_user=person, change=C.STOPPED, source=source, at=now, by=by
        )
    return bool(stopped)


@transaction.atomic
def messages_restart(*, person: ServiceUser, by, consent_note: str, path: str = "") -> None:
    """A clinician starts messages again because the service user asked: what they said,
    and who recorded it, are kept with the change."""
    note = (consent_note or "").strip()
    if not note:
        raise RestartError("Enter how the service user asked to get messages again")
    person = ServiceUser.objects.select_for_update().get(pk=person.pk)
    if person.nudges_stopped_at is None:
        raise RestartError("Messages to this person are not stopped")
    now = timezone.now()
    ServiceUser.objects.filter(pk=person.pk).update(nudges_stopped_at=None, updated_at=now)
    MessagesConsentEvent.objects.create(
        service_user=person,
        change=C.RESTARTED,
        source=SOURCE.CLINICIAN,
        at=now,
        by=by,
        consent_note=note[:300],
    )
    access_log_write(actor=by, action=AccessAction.UPDATE, obj=person, path=path)


@transaction.atomic
def text_reply_mark_read(*, reply: TextReply, by, path: str = "") -> None:
    TextReply.objects.filter(pk=reply.pk, read_at__isnull=True).update(
        read_at=timezone.now(), read_by=by
    )
    access_log_write(actor=by, action=AccessAction.VIEW, obj=reply.service_user, path=path)


def unread_filter() -> Q:
    return Q(kind=K.FREE_TEXT, read_at__isnull=True)
