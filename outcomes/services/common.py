"""Shared by the outcome services: the refusal they raise, who may act, the access log."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from outcomes.models import (
    Episode,
    Measure,
)
from referrals.models import ServiceUser
from talkingmoves.accounts.permissions import Action, can
from talkingmoves.audit.services import access_log_write

K = Measure.Kind


class OutcomeError(Exception):
    """Input a service refuses, with a message fit to show and the form field it is about."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def require_access(by, service_user: ServiceUser) -> None:
    if not can(by, Action.VIEW_SERVICE_USERS, service_user) or service_user.erased_at:
        raise PermissionDenied


def log_access(*, by, action, obj, path: str = "", system_actor: str = "") -> None:
    access_log_write(
        actor=by,
        system_actor=system_actor if by is None else "",
        action=action,
        obj=obj,
        path=path,
    )


def refuse_future(day: date, what: str, field: str) -> None:
    if day > timezone.localdate():
        raise OutcomeError(f"{what} must be today or in the past", field)


def refuse_outside_episode(episode: Episode, day: date, what: str, field: str) -> None:
    refuse_future(day, what, field)
    if day < episode.referral_received_on:
        raise OutcomeError(
            f"{what} must be on or after the referral date, "
            f"{episode.referral_received_on:%-d %B %Y}",
            field,
        )
    if episode.ended_on and day > episode.ended_on:
        raise OutcomeError(
            f"{what} must be on or before the episode ended, {episode.ended_on:%-d %B %Y}",
            field,
        )


# --- Derived outcome columns ------------------------------------------------------------
