"""The rest of the loop for the demo, after the referrals and their messages: answers to
"did you go?", a text reply, an auto-decline, and the clinicians' tasks they make. Made
through the real services. Idempotent."""

from datetime import timedelta

from django.db.models import F

from referrals.models import Referral, ReferralEvent
from referrals.nudges import answers, replies
from referrals.nudges.models import Nudge, NudgeResponse, TextReply
from referrals.pathway.history import BACKDATE, history_change
from referrals.tasks import auto_decline_unanswered
from talkingmoves.accounts.models import Organisation
from talkingmoves.vocabulary.answers import Answer

ANSWERS_IN_TURN = [Answer.WENT, Answer.NOT_YET, Answer.CALL_ME]


def seed_the_loop() -> None:
    if NudgeResponse.objects.exists() or TextReply.objects.exists():
        return
    for service in Organisation.objects.filter(kind=Organisation.Kind.TALKING_THERAPIES):
        _answers(service)
        _text_replies(service)
        _one_auto_decline(service)


def _answers(service) -> None:
    """A few "did you go?" messages answered, one of each kind."""
    asked = Nudge.objects.filter(
        service=service,
        template="did_you_go",
        status__in=[Nudge.Status.SENT, Nudge.Status.DELIVERED],
        channel="email",
    ).order_by("pk")[: len(ANSWERS_IN_TURN)]
    for nudge, answer in zip(asked, ANSWERS_IN_TURN, strict=False):
        answers.nudge_answer(nudge=nudge, answer=answer)


def _text_replies(service) -> None:
    """Someone answers "did you go?" by texting 1; someone else writes a question for their
    clinician (a task). Each reply comes two hours after the text it answers."""
    texts = Nudge.objects.filter(
        service=service, channel="sms", status__in=["sent", "delivered"]
    ).exclude(service_user=None)
    asked = texts.filter(template="did_you_go").order_by("-sent_at").first()
    other = texts.exclude(service_user_id=getattr(asked, "service_user_id", None))
    for number, (nudge, message) in enumerate(
        [(asked, "1"), (other.order_by("-sent_at").first(), "Can I bring my sister with me?")]
    ):
        if nudge is None:
            continue
        replies.text_reply_receive(
            notify_id=f"demo-{service.pk}-{number}",
            source_number=nudge.service_user.mobile,
            message=message,
            received_at=nudge.sent_at + timedelta(hours=2),
        )


def _one_auto_decline(service) -> None:
    """One referral the provider never answered, sent 15 days ago and declined by the
    14-day rule, so the clinician has a task and the record shows why."""
    referral = (
        Referral.objects.filter(service_user__service=service, status=Referral.Status.SENT)
        .order_by("pk")
        .first()
    )
    if referral is None:
        return
    delta = timedelta(days=15)
    Referral.objects.filter(pk=referral.pk).update(
        created_at=F("created_at") - delta, sent_at=F("sent_at") - delta
    )
    with history_change(BACKDATE):
        ReferralEvent.objects.filter(referral=referral).update(at=F("at") - delta)
    auto_decline_unanswered()
