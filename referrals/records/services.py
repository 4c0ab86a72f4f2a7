"""Writes to a service user's record: details, consents and PAR-Q+ screening. Each runs in one
transaction and leaves an access-log row saying who changed what."""

from enum import StrEnum
from typing import Any

from django.db import transaction
from django.utils import timezone

from referrals import hooks
from referrals.models import Screening, ServiceUser
from referrals.pathway.closing import ON_CONSENT_WITHDRAWN, SHARED, referrals_close_for_person
from talkingmoves.audit.actions import AccessAction
from talkingmoves.audit.services import access_log_write
from talkingmoves.vocabulary.contact import MessageChannel


class Consent(StrEnum):
    SHARE = "share"
    # Consent to be sent messages, one for each channel.
    EMAIL = MessageChannel.EMAIL.value
    SMS = MessageChannel.SMS.value


CONSENT_LABELS = {
    Consent.SHARE: "share their details with a provider",
    Consent.EMAIL: "be contacted by email",
    Consent.SMS: "be contacted by text message",
}

PARQ_QUESTIONS = [f"q{n}" for n in range(1, 8)]
# The PAR-Q+ general questions as asked (reference/clinical-definitions.md 5.1), with the
# error shown when one is not answered.
PARQ_WORDING = {
    "q1": (
        "Has your doctor ever said that you have a heart condition or high blood pressure?",
        "Select yes if a doctor has said they have a heart condition or high blood pressure, "
        "or select no",
    ),
    "q2": (
        "Do you feel pain in your chest at rest, during your daily activities of living, or when "
        "you do physical activity?",
        "Select yes if they feel pain in their chest, or select no",
    ),
    "q3": (
        "Do you lose balance because of dizziness or have you lost consciousness in the last "
        "12 months?",
        "Select yes if they lose balance because of dizziness or have lost consciousness, "
        "or select no",
    ),
    "q4": (
        "Have you ever been diagnosed with another chronic medical condition (other than heart "
        "disease or high blood pressure)?",
        "Select yes if they have been diagnosed with another chronic medical condition, "
        "or select no",
    ),
    "q5": (
        "Are you currently taking prescribed medications for a chronic medical condition?",
        "Select yes if they take prescribed medication for a chronic condition, or select no",
    ),
    "q6": (
        "Do you currently have (or have had within the past 12 months) a bone, joint, or soft "
        "tissue (muscle, ligament, or tendon) problem that could be made worse by becoming more "
        "physically active?",
        "Select yes if they have a bone, joint or soft tissue problem that activity could make "
        "worse, or select no",
    ),
    "q7": (
        "Has your doctor ever said that you should only do medically supervised physical activity?",
        "Select yes if a doctor has said they should only do supervised activity, or select no",
    ),
}
PARQ_HINTS = {
    "q3": "Answer no if the dizziness was from over-breathing, including during hard exercise",
    "q6": "Answer no if a past problem does not limit being active now",
}


class ConsentError(Exception):
    """Consent that cannot be recorded yet, with a message fit to show."""


# Consent to a channel means nothing without the address to use it.
CONSENT_NEEDS = {
    Consent.EMAIL: ("email", "Add an email address before recording consent to email"),
    Consent.SMS: ("mobile", "Add a mobile number before recording consent to text messages"),
}


@transaction.atomic
def service_user_create(*, service, by, data: dict[str, Any], path: str = "") -> ServiceUser:
    service_user = ServiceUser(service=service, **data)
    service_user.full_clean()
    service_user.save()
    access_log_write(actor=by, action=AccessAction.CREATE, obj=service_user, path=path)
    hooks.service_user_created(service_user=service_user)
    return service_user


@transaction.atomic
def service_user_update(
    *, service_user: ServiceUser, by, data: dict[str, Any], path: str = ""
) -> ServiceUser:
    for name, value in data.items():
        setattr(service_user, name, value)
    service_user.updated_at = timezone.now()
    service_user.full_clean()
    service_user.save()
    access_log_write(actor=by, action=AccessAction.UPDATE, obj=service_user, path=path)
    return service_user


@transaction.atomic
def consent_record(
    *, service_user: ServiceUser, consent: Consent, by, path: str = ""
) -> ServiceUser:
    consent = Consent(consent)
    field, message = CONSENT_NEEDS.get(consent, (None, ""))
    if field and not getattr(service_user, field):
        raise ConsentError(message)
    now = timezone.now()
    ServiceUser.objects.filter(pk=service_user.pk).update(
        **{f"consent_{consent}_at": now, f"consent_{consent}_by": by, "updated_at": now}
    )
    access_log_write(actor=by, action=AccessAction.UPDATE, obj=service_user, path=path)
    service_user.refresh_from_db()
    return service_user


@transaction.atomic
def consent_withdraw(
    *, service_user: ServiceUser, consent: Consent, by, path: str = ""
) -> ServiceUser:
    """Clears the time and keeps who withdrew it; the access log keeps when. Without consent
    to share, referrals a provider holds are closed (they see "no longer needed")."""
    consent = Consent(consent)
    if consent == Consent.SHARE:
        referrals_close_for_person(
            service_user=service_user, by=by, note=ON_CONSENT_WITHDRAWN, statuses=SHARED
        )
    ServiceUser.objects.filter(pk=service_user.pk).update(
        **{f"consent_{consent}_at": None, f"consent_{consent}_by": by, "updated_at": timezone.now()}
    )
    access_log_write(actor=by, action=AccessAction.UPDATE, obj=service_user, path=path)
    service_user.refresh_from_db()
    return service_user


def screening_outcome(answers: dict[str, bool]) -> str:
    """All "no" is clear to start gradually; any "yes" needs advice (not "forbidden")."""
    missing = [q for q in PARQ_QUESTIONS if not isinstance(answers.get(q), bool)]
    if missing:
        raise ValueError(f"Every PAR-Q+ question needs an answer: {', '.join(missing)}")
    if any(answers[q] for q in PARQ_QUESTIONS):
        return Screening.Outcome.ADVICE_NEEDED
    return Screening.Outcome.CLEAR


@transaction.atomic
def screening_record(
    *, service_user: ServiceUser, answers: dict[str, bool], by, path: str = ""
) -> Screening:
    answers = {q: bool(answers[q]) for q in PARQ_QUESTIONS if q in answers}
    screening = Screening(
        service_user=service_user,
        answers=answers,
        outcome=screening_outcome(answers),
        recorded_by=by,
    )
    screening.full_clean()
    screening.save()
    access_log_write(actor=by, action=AccessAction.CREATE, obj=screening, path=path)
    return screening


class ScreeningError(Exception):
    """A screening that cannot be resolved, with a message fit to show."""


@transaction.atomic
def screening_resolve(
    *, screening: Screening, resolution: str, note: str, by, path: str = ""
) -> Screening:
    locked = Screening.objects.select_for_update().get(pk=screening.pk)
    if not locked.needs_resolution:
        raise ScreeningError("This screening has already been resolved or did not need advice")
    locked.resolution = Screening.Resolution(resolution)
    locked.resolution_note = note
    locked.resolved_at = timezone.now()
    locked.resolved_by = by
    locked.full_clean()
    locked.save()
    access_log_write(actor=by, action=AccessAction.UPDATE, obj=locked, path=path)
    return locked
