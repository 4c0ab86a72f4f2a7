"""Create and finish clinicians' tasks. A task is for the service user's clinician at the
time it is read (selectors.py) or emailed (the nudge outbox resolves the recipient when it
sends), never for whoever was assigned when it was made."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from referrals import hooks
from referrals.models import Referral
from referrals.tasks import AUTO_DECLINE_ACTOR
from referrals.worklist.models import Task
from talkingmoves.audit.actions import AccessAction
from talkingmoves.audit.services import access_log_write

K = Task.Kind
S = Referral.Status
DETAIL_MAX = 2000
# Matches the clinician_provider_silent message's default day.
SILENT_AFTER = timedelta(days=7)


@transaction.atomic
def task_create_for_service_user(
    *,
    service_user,
    kind: str,
    detail: str = "",
    referral=None,
    source_key: str = "",
    link_path: str = "",
) -> Task | None:
    """A task for the person's clinician. With a source_key, made at most once per cause:
    a second call with the same key returns None and changes nothing. Other apps (text
    replies, say) call this; `detail` is shown to the clinician only; `link_path`, the page
    the task is about when it is not the person's record."""
    if service_user.erased_at is not None:
        return None
    task = Task(
        service_id=service_user.service_id,
        service_user=service_user,
        referral=referral,
        kind=K(kind),
        detail=detail[:DETAIL_MAX],
        source_key=source_key,
        link_path=link_path,
    )
    try:
        with transaction.atomic():
            task.save()
    except IntegrityError:
        if source_key:
            return None  # already made for this cause
        raise
    hooks.task_created(task=task)
    return task


@transaction.atomic
def task_done(*, task: Task, by, path: str = "") -> Task:
    """Mark a task done. Marking it twice changes nothing."""
    changed = Task.objects.filter(pk=task.pk, done_at__isnull=True).update(
        done_at=timezone.now(), done_by=by
    )
    task.refresh_from_db()
    if changed:
        access_log_write(actor=by, action=AccessAction.UPDATE, obj=task.service_user, path=path)
        hooks.task_done(task=task, by=by)
    return task


def tasks_close(*, service_user, kinds, by=None) -> int:
    """Close a person's open tasks of these kinds, when what they asked for was done some
    other way (the call request marked done on the record, say)."""
    return Task.objects.filter(
        service_user=service_user, kind__in=list(kinds), done_at__isnull=True
    ).update(done_at=timezone.now(), done_by=by)


def tasks_for_silent_providers(*, now=None) -> int:
    """A task for each referral a provider has not answered in SILENT_AFTER: while the
    provider is silent, nobody asks the service user whether they went; their clinician
    chases instead. Safe to run again: one task per referral."""
    cutoff = (now or timezone.now()) - SILENT_AFTER
    waiting = (
        Referral.objects.filter(status=S.SENT, sent_at__lte=cutoff)
        .exclude(tasks__kind=K.PROVIDER_SILENT)
        .select_related("service_user", "activity")
    )
    made = 0
    for referral in waiting.iterator(chunk_size=500):
        made += bool(
            task_create_for_service_user(
                service_user=referral.service_user,
                kind=K.PROVIDER_SILENT,
                referral=referral,
                detail=referral.activity.name,
                source_key=f"referral:{referral.pk}:silent",
            )
        )
    return made


# --- Receivers for referrals' own hooks (registered in referrals/receivers.py) -------------

DECLINE_KINDS = {True: K.AUTO_DECLINED, False: K.PROVIDER_DECLINED}


def on_referral_changed(*, referral, to_status):
    if to_status == S.DECLINED:
        event = referral.events.order_by("-at", "-id").first()
        automatic = event is not None and event.system_actor == AUTO_DECLINE_ACTOR
        reason = referral.get_decline_reason_display() if referral.decline_reason else ""
        note = event.note if event is not None else ""
        detail = "\n".join(part for part in (referral.activity.name, reason, note) if part)
        task_create_for_service_user(
            service_user=referral.service_user,
            kind=DECLINE_KINDS[automatic],
            referral=referral,
            detail=detail,
            source_key=f"referral:{referral.pk}:declined",
        )
    elif to_status not in Referral.OPEN_STATUSES or to_status in (S.ACCEPTED, S.ATTENDING):
        # The provider answered, or the referral ended: waiting on them is no longer a task.
        Task.objects.filter(referral=referral, kind=K.PROVIDER_SILENT, done_at__isnull=True).update(
            done_at=timezone.now()
        )


def on_erasure(*, service_user):
    """Nothing is left for anyone to do; what the person or a provider wrote goes."""
    Task.objects.filter(service_user=service_user).update(detail="", done_at=timezone.now())


def subject_access(*, service_user):
    return {
        "tasks": [
            {
                "what": task.get_kind_display(),
                "detail": task.detail,
                "created_at": task.created_at.isoformat(),
                "done_at": task.done_at.isoformat() if task.done_at else None,
            }
            for task in Task.objects.filter(service_user=service_user).order_by("created_at")
        ]
    }
