"""The outbox's part in closing the loop: "Did you manage to go?" once there is something to
have gone to, one gentle message after a missed session, an email to the clinician about a
new task, and a task when a "did you go?" message goes unanswered."""

import logging
from datetime import timedelta

from django.db.models import CharField, Exists, OuterRef, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone

from referrals.models import Referral
from referrals.nudges import schedule
from referrals.nudges.messages import TEMPLATES
from referrals.nudges.models import CallRequest, Nudge, NudgeResponse
from referrals.nudges.services import nudge_to_service_user, nudge_to_staff
from referrals.worklist.models import Task
from referrals.worklist.services import task_create_for_service_user

logger = logging.getLogger(__name__)
K = Task.Kind
S = Referral.Status
PENDING = Nudge.PENDING_STATUSES

# Tasks that already have their own message to the clinician (the call request's, the
# provider-silent one): no second email about them.
OWN_MESSAGE = {K.CALL_ME, K.PROVIDER_SILENT}
# A "did you go?" message with no answer this long after it went out becomes a task.
UNANSWERED_AFTER = timedelta(days=7)
# Only messages sent within this window are looked at, so the job reads a bounded slice.
UNANSWERED_WINDOW = timedelta(days=28)
ASKS_HOW_IT_WENT = ("did_you_go", "check_in", "follow_up")


def did_you_go_after_acceptance(referral: Referral) -> Nudge | None:
    """On acceptance: a "Did you manage to go?" if none is waiting (the day-7 one was not
    sent because the provider had not answered yet). Due the day after the first session
    when the provider gave one, else the usual number of days after acceptance."""
    enabled, offset_days, _ = schedule.effective_settings(referral.service_id)["did_you_go"]
    if not enabled:
        return None
    waiting = Nudge.objects.filter(referral=referral, template="did_you_go", status__in=PENDING)
    if waiting.exists():
        return None  # decided again when it falls due: deferred past the first session
    if referral.first_session_at is not None:
        due = schedule.next_day(referral.first_session_at)
    else:
        anchor = referral.answered_at or timezone.now()
        due = schedule.due_at(TEMPLATES["did_you_go"], anchor=anchor, offset_days=offset_days)
    return nudge_to_service_user(
        service_user=referral.service_user, template="did_you_go", referral=referral, due_at=due
    )


def on_referral_changed(*, referral, to_status):
    if to_status == S.ACCEPTED and referral.kind == Referral.Kind.REFER:
        did_you_go_after_acceptance(referral)


def on_session_missed(*, referral, session_date):
    """One gentle message for each session the provider marks missed."""
    if not referral.is_open:
        return
    nudge_to_service_user(
        service_user=referral.service_user, template="session_missed", referral=referral
    )


def on_task_created(*, task):
    """Email the person's clinician (whoever is assigned when it is sent) unless the
    service has turned these emails off, or the task has its own message."""
    if task.kind in OWN_MESSAGE:
        return
    nudge_to_staff(
        template="clinician_new_task",
        service_user=task.service_user,
        link_path=reverse("referrals:tasks"),
    )


def on_task_done(*, task, by):
    """A call request's task done on the task list: the request is done too."""
    if task.kind == K.CALL_ME:
        CallRequest.objects.filter(
            service_user_id=task.service_user_id, done_at__isnull=True
        ).update(done_at=timezone.now(), done_by=by, escalate_at=None)


def tasks_for_unanswered_messages(*, now=None) -> int:
    """A task for each "how did it go?" message left unanswered for UNANSWERED_AFTER, on a
    referral still open. Safe to run again: one task per message."""
    now = now or timezone.now()
    unanswered = (
        Nudge.objects.filter(
            template__in=ASKS_HOW_IT_WENT,
            status__in=[Nudge.Status.SENT, Nudge.Status.DELIVERED],
            sent_at__lte=now - UNANSWERED_AFTER,
            sent_at__gt=now - UNANSWERED_WINDOW,
            referral__status__in=Referral.OPEN_STATUSES,
            service_user__erased_at__isnull=True,
        )
        .exclude(Exists(NudgeResponse.objects.filter(nudge=OuterRef("pk"))))
        .annotate(source=Concat(Value("nudge:"), Cast("id", output_field=CharField())))
        .exclude(
            Exists(
                Task.objects.filter(
                    service_user=OuterRef("service_user"),
                    kind=K.UNANSWERED,
                    source_key=OuterRef("source"),
                )
            )
        )
        .select_related("service_user", "referral__activity")
    )
    made = 0
    for nudge in unanswered.iterator(chunk_size=500):
        made += bool(
            task_create_for_service_user(
                service_user=nudge.service_user,
                kind=K.UNANSWERED,
                referral=nudge.referral,
                detail=f"{TEMPLATES[nudge.template].title}: {nudge.referral.activity.name}",
                source_key=f"nudge:{nudge.pk}",
            )
        )
    return made
