"""Subject access (export everything held on a person) and erasure (personal data removed,
events and counts kept for statistics). Both are written to the access log."""

from django.db import transaction
from django.utils import timezone

from outcomes.models import Episode, Measure, RiskFlag
from referrals.models import Referral, ReferralEvent, Screening, ServiceUser
from referrals.nudges.messages import TEMPLATES
from referrals.nudges.models import Nudge
from referrals.nudges.services import nudges_cancel
from talkingmoves.audit.models import AccessLog
from talkingmoves.audit.services import access_log_write
from talkingmoves.notify.models import StoredMessage

ERASED_NAME = "Erased"

# Everything on the record itself, so a field added later is exported without a change here.
_PERSON_FIELDS = [
    field.name
    for field in ServiceUser._meta.concrete_fields
    if not field.is_relation and field.name not in {"id", "public_id", "erased_at"}
]


def _value(value):
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
        "record": {name: _value(getattr(service_user, name)) for name in _PERSON_FIELDS},
        "screenings": [
            {
                "taken_at": _value(s.taken_at),
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
                "created_at": _value(r.created_at),
                "sent_at": _value(r.sent_at),
                "events": [
                    {"at": _value(e.at), "from": e.from_status, "to": e.to_status, "note": e.note}
                    for e in r.events.all()
                ],
                "attendance": [
                    {"date": _value(a.session_date), "status": a.get_status_display()}
                    for a in r.attendances.all()
                ],
            }
            for r in referrals
        ],
        "messages": _messages(service_user),
        "call_requests": [
            {"asked_at": _value(c.created_at), "done_at": _value(c.done_at)}
            for c in service_user.call_requests.all()
        ],
        "episodes": _episodes(service_user),
        "risk_flags": [
            {
                "raised_at": _value(f.raised_at),
                "reviewed_at": _value(f.reviewed_at),
                "review_note": f.review_note,
            }
            for f in RiskFlag.objects.filter(service_user=service_user)
        ],
        "record_viewed_by": [
            {
                "at": _value(entry.at),
                "who": str(entry.actor or entry.system_actor),
                "action": entry.get_action_display(),
            }
            for entry in viewed
        ],
    }


def _messages(service_user: ServiceUser) -> list[dict]:
    nudges = Nudge.objects.filter(service_user=service_user, audience="service_user")
    return [
        {
            "message": TEMPLATES[n.template].title if n.template in TEMPLATES else n.template,
            "status": n.get_status_display(),
            "due_at": _value(n.due_at),
            "sent_at": _value(n.sent_at),
            "channel": n.get_channel_display() if n.channel else "",
            "sent_to": n.sent_to,
            "answers": [r.get_answer_display() for r in n.responses.all()],
        }
        for n in nudges.prefetch_related("responses")
    ]


def _episodes(service_user: ServiceUser) -> list[dict]:
    episodes = Episode.objects.filter(service_user=service_user).prefetch_related(
        "appointments", "measures", "measure_requests"
    )
    return [
        {
            "referral_received_on": _value(e.referral_received_on),
            "referral_source": e.get_referral_source_display(),
            "ended_on": _value(e.ended_on),
            "ending_reason": e.get_ending_reason_display() if e.ending_reason else "",
            "appointments": [
                {
                    "on": _value(a.on),
                    "kind": a.get_kind_display(),
                    "attendance": a.get_attendance_display(),
                }
                for a in e.appointments.all()
            ],
            "measures": [
                {
                    "kind": m.get_kind_display(),
                    "taken_on": _value(m.taken_on),
                    # Every item in order; None is an item left out (the WSAS work item).
                    "items": [
                        getattr(m, f"item_{n}")
                        for n in range(1, Measure.ITEM_COUNTS.get(m.kind, 0) + 1)
                    ],
                    "total": m.total,
                    "source": m.get_source_display(),
                }
                for m in e.measures.all()
            ],
            "questionnaire_links": [
                {"sent_at": _value(r.created_at), "completed_at": _value(r.completed_at)}
                for r in e.measure_requests.all()
            ],
        }
        for e in episodes
    ]


@transaction.atomic
def service_user_erase(*, service_user: ServiceUser, by) -> None:
    """Remove what identifies the person; keep what statistics need (service, gender, ethnic
    category, disability, step, dates, referral states and attendance)."""
    locked = ServiceUser.objects.select_for_update().get(pk=service_user.pk)
    if locked.erased_at is not None:
        return
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
    ReferralEvent.objects.filter(referral__service_user=locked).update(note="")
    Screening.objects.filter(service_user=locked).update(resolution_note="")
    RiskFlag.objects.filter(service_user=locked, reviewed_at__isnull=False).update(
        review_note=ERASED_NAME
    )
    # Messages: nothing more goes out; addresses and stored copies are removed.
    nudges_cancel(service_user=locked)
    nudges = Nudge.objects.filter(service_user=locked)
    StoredMessage.objects.filter(
        reference__in=[str(pk) for pk in nudges.values_list("pk", flat=True)]
    ).delete()
    nudges.update(sent_to="")
    access_log_write(actor=by, action=AccessLog.Action.ERASE, obj=locked)
