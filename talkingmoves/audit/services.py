"""The one way to write the access log. It refuses to write without an actor."""

from django.db import models

from .actions import AccessAction
from .models import AccessLog


class MissingActorError(ValueError):
    pass


def access_log_write(
    *,
    action: AccessAction,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    actor=None,
    system_actor: str = "",
    path: str = "",
) -> AccessLog:
    """Record that `actor` (a signed-in user) or `system_actor` (a named job) did `action`
    to `obj`. Pass the object, or its type and id when there is no model instance."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if actor is None and not system_actor:
        raise MissingActorError("An access log entry needs a user or a named system job")
    if obj is not None:
        object_type = obj._meta.label_lower
        object_id = str(getattr(obj, "public_id", None) or obj.pk)
    if not object_type or not object_id:
        raise ValueError("An access log entry needs the object it is about")
    return AccessLog.objects.create(
        actor=actor,
        system_actor=system_actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        path=path[:500],
    )


def access_log_write_many(
    *, action: AccessAction, objects, actor, path: str = ""
) -> list[AccessLog]:
    """The same action by one person on several records (a list page), in one insert."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise MissingActorError("An access log entry needs a user")
    return AccessLog.objects.bulk_create(
        AccessLog(
            actor=actor,
            action=action,
            object_type=obj._meta.label_lower,
            object_id=str(getattr(obj, "public_id", None) or obj.pk),
            path=path[:500],
        )
        for obj in objects
    )
