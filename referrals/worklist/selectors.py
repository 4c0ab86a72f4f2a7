"""Read clinicians' tasks. Whose a task is comes from the service user's assignment now."""

from django.db.models import Count, Exists, OuterRef, QuerySet, Subquery

from referrals.models import ReferralEvent
from referrals.worklist.models import Task
from talkingmoves.accounts.roles import Role
from talkingmoves.core.compiled_query import CompiledInstances, an_id


class TaskFilter:
    MINE = ""
    SERVICE = "service"
    UNASSIGNED = "unassigned"

    CHOICES = [
        (MINE, "My service users"),
        (UNASSIGNED, "Service users with no clinician"),
        (SERVICE, "Everyone in the service"),
    ]


def tasks_for(user, *, show: str = TaskFilter.MINE, include_done: bool = False) -> QuerySet:
    """Open tasks (newest first) for the people the user is assigned to now; a service lead
    can also see the unassigned and the whole service's."""
    tasks = Task.objects.filter(
        service_id=user.organisation_id, service_user__erased_at__isnull=True
    ).select_related("service_user__assigned_clinician", "referral__activity")
    if user.role not in (Role.CLINICIAN, Role.SERVICE_LEAD):
        return tasks.none()
    if show == TaskFilter.UNASSIGNED:
        tasks = tasks.filter(service_user__assigned_clinician__isnull=True)
    elif show != TaskFilter.SERVICE:
        tasks = tasks.filter(service_user__assigned_clinician=user)
    if not include_done:
        tasks = tasks.filter(done_at__isnull=True)
    return tasks.order_by("-created_at", "-pk")


def task_for(user, public_id) -> Task | None:
    """One task of the user's service, or None (the view answers 404)."""
    if user.role not in (Role.CLINICIAN, Role.SERVICE_LEAD):
        return None
    return (
        Task.objects.filter(
            service_id=user.organisation_id,
            public_id=public_id,
            service_user__erased_at__isnull=True,
        )
        .select_related("service_user")
        .first()
    )


def open_task_count(user) -> int:
    return tasks_for(user).count()


def open_task_exists() -> Exists:
    return Exists(Task.objects.filter(service_user=OuterRef("pk"), done_at__isnull=True))


def caseload_annotations() -> dict:
    """Per-person columns for the caseload: open tasks and the latest referral event."""
    open_tasks = Task.objects.filter(service_user=OuterRef("pk"), done_at__isnull=True)
    counted = open_tasks.order_by().values("service_user").annotate(n=Count("pk")).values("n")[:1]
    latest_event = ReferralEvent.objects.filter(referral__service_user=OuterRef("pk")).order_by(
        "-at", "-id"
    )
    return {
        "has_open_task": open_task_exists(),
        "open_task_count": Subquery(counted),
        "last_event_at": Subquery(latest_event.values("at")[:1]),
        "last_event_status": Subquery(latest_event.values("to_status")[:1]),
        "last_event_activity": Subquery(latest_event.values("referral__activity__name")[:1]),
    }


_OPEN_FOR_PERSON = CompiledInstances(
    lambda _shape, *, person_id: (
        Task.objects.filter(service_user_id=person_id, done_at__isnull=True)
        .only("public_id", "kind", "detail", "created_at")
        .order_by("-created_at")
    ),
    person_id=an_id(),
)


def open_tasks_for_person(service_user) -> list[Task]:
    """The record's open tasks: what it shows of them (no referral, nothing of the service).
    Compiled once (talkingmoves/core/compiled_query.py), as the record's other small reads."""
    return _OPEN_FOR_PERSON.instances(person_id=service_user.pk)
