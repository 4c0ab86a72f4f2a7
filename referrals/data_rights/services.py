"""Subject access (export everything held on a person) and erasure (personal data removed,
events and counts kept for statistics). Both are written to the access log."""

from django.db import transaction
from django.utils import timezone

from referrals import hooks
from referrals.models import Referral, ReferralEvent, Screening, ServiceUser
from referrals.pathway.closing import ALL_OPEN_REFERRALS, ON_ERASURE, referrals_close_for_person
from referrals.pathway.history import REDACT, history_change
from talkingmoves.audit.models import AccessLog
from talkingmoves.audit.services import access_log_write

ERASED_NAME = "Erased"


class ErasureRefused(Exception):
    """Erasing now would lose something safety depends on; the message says what to do."""


# Everything on the record itself, so a field added later is exported without a change here.
_PERSON_FIELDS = [
    field.name
    for field in ServiceUser._meta.concrete_fields
    if not field.is_relation and field.name not in {"id", "public_id", "erased_at"}
]


def export_value(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def service_user_export(*, service_user: ServiceUser, by) -> dict:
    """Everything held on this person, as plain data."""
    access_log_write(actor=by, action=AccessLog.Action.EXPORT, obj=service_user)
    referrals = (
        Referral.objects.filter(service_user=service_user)
        .select_related("activity", "activity__provider")
        .prefetch_related("events", "attendances")
    )
    viewed = AccessLog.objects.filter(
        object_type=service_user._meta.label_lower, object_id=str(service_user.public_id)
    ).select_related("actor")
    return {
        "exported_at": timezone.now().isoformat(),
        "service": service_user.service.name,
        "assigned_clinician": getattr(service_user.assigned_clinician, "full_name", ""),
        "record": {name: export_value(getattr(service_user, name)) for name in _PERSON_FIELDS},
        "screenings": [
            {
                "taken_at": export_value(s.taken_at),
                "answers": s.answers,
                "outcome": s.get_outcome_display(),
                "resolution": s.get_resolution_display() if s.resolution else "",
                "resolution_note": s.resolution_note,
            }
            for s in Screening.objects.filter(service_user=service_user)
        ],
        "referrals": [
            {
                "kind": r.get_kind_display(),
                "activity": r.activity.name,
                "provider": r.activity.provider.name,
                "status": r.get_status_display(),
                "what_they_would_enjoy": r.what_they_would_enjoy,
                "goal": r.goal,
                "needs_for_provider": r.needs_for_provider,
                "accompanied_first_visit": r.accompanied_first_visit,
                "created_at": export_value(r.created_at),
                "sent_at": export_value(r.sent_at),
                "events": [
                    {
                        "at": export_value(e.at),
                        "from": e.from_status,
                        "to": e.to_status,
                        "note": e.note,
                    }
                    for e in r.events.all()
                ],
                "attendance": [
                    {"date": export_value(a.session_date), "status": a.get_status_display()}
                    for a in r.attendances.all()
                ],
            }
            for r in referrals
        ],
        # Messages and call requests (nudges), episodes and risk flags (outcomes).
        **hooks.subject_access.merged(service_user=service_user),
        "record_viewed_by": [
            {
                "at": export_value(entry.at),
                "who": str(entry.actor or entry.system_actor),
                "action": entry.get_action_display(),
            }
            for entry in viewed
        ],
    }


@transaction.atomic
def service_user_erase(*, service_user: ServiceUser, by) -> None:
    """Remove what identifies the person; keep what statistics need (service, gender, ethnic
    category, disability, step, dates, referral states and attendance). Open referrals are
    closed (providers see "no longer needed") and pending messages cancelled."""
    locked = ServiceUser.objects.select_for_update().get(pk=service_user.pk)
    if locked.erased_at is not None:
        return
    refusal = next((why for why in hooks.erasure_refused(service_user=locked) if why), "")
    if refusal:
        raise ErasureRefused(refusal)
    year_only = locked.date_of_birth.replace(month=1, day=1) if locked.date_of_birth else None
    ServiceUser.objects.filter(pk=locked.pk).update(
        nhs_number="",
        given_name=ERASED_NAME,
        family_name="",
        date_of_birth=year_only,  # the year keeps age bands for equity reports
        postcode=locked.postcode.split(" ")[0] if locked.postcode else "",
        email="",
        mobile="",
        disability_or_ltc_details="",
        presenting_problem="",
        erased_at=timezone.now(),
        updated_at=timezone.now(),
    )
    Referral.objects.filter(service_user=locked).update(
        what_they_would_enjoy="", goal="", needs_for_provider=""
    )
    # Event rows are append-only (a trigger, docs/adr/017): erasure may only blank notes.
    with history_change(REDACT):
        ReferralEvent.objects.filter(referral__service_user=locked).exclude(note="").update(note="")
    # Nothing stays open with a provider: each closes with a new event, neutral to them.
    referrals_close_for_person(
        service_user=locked, by=by, note=ON_ERASURE, statuses=ALL_OPEN_REFERRALS
    )
    Screening.objects.filter(service_user=locked).update(resolution_note="")
    # Messages stop and lose their addresses (nudges); review notes go (outcomes).
    hooks.erasure(service_user=locked)
    access_log_write(actor=by, action=AccessLog.Action.ERASE, obj=locked)
