"""Organisation scoping: one entry point per model family.

Each app registers how its models are limited to what a user may see
(`@scope_for(Model)`); views look records up only through `get_for_user_or_404`, so a record
from another organisation is a 404 — indistinguishable from one that does not exist.
"""

from collections.abc import Callable

from django.db.models import Model, QuerySet
from django.http import Http404

_SCOPES: dict[type[Model], Callable[[QuerySet, object], QuerySet]] = {}


def scope_for(model: type[Model]):
    def register(func: Callable[[QuerySet, object], QuerySet]):
        _SCOPES[model] = func
        return func

    return register


def visible_to(user, model_or_queryset) -> QuerySet:
    queryset = (
        model_or_queryset
        if isinstance(model_or_queryset, QuerySet)
        else model_or_queryset._default_manager.all()
    )
    model = queryset.model
    if model not in _SCOPES:
        raise LookupError(f"No organisation scope registered for {model.__name__}")
    if not user.is_authenticated:
        return queryset.none()
    return _SCOPES[model](queryset, user)


def get_for_user_or_404(user, model_or_queryset, **lookup):
    try:
        return visible_to(user, model_or_queryset).get(**lookup)
    except (
        model_or_queryset if isinstance(model_or_queryset, type) else model_or_queryset.model
    ).DoesNotExist:
        raise Http404 from None
