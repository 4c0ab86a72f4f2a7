"""Outcomes' part in referrals' work, pages and data rights, the outbox's decisions and the
home page, registered from OutcomesConfig.ready()."""

from outcomes import selectors
from outcomes.models import Episode, Measure, OutcomeSettings, RiskFlag
from outcomes.presenters import record_outcomes
from outcomes.selectors import has_open_risk_flag, open_risk_flag_exists
from outcomes.services.alerts import duty_contact_missing
from outcomes.services.episode_groups import service_user_episodes_regroup
from outcomes.services.episodes import service_user_episodes_recompute
from referrals import hooks
from referrals.data_rights.services import ERASED_NAME, export_value
from referrals.models import Referral, ServiceUser
from referrals.nudges import hooks as nudge_hooks
from talkingmoves.accounts.roles import Role
from talkingmoves.core import hooks as core_hooks

# The moves that make a referral count for an episode's activity group: sent (a draft is not
# a referral), a signposting recorded, or marked taken up. Attended sessions come through
# attendance_changed.
S = Referral.Status
GROUP_MOVES = frozenset({S.SENT, S.SIGNPOSTED, S.TAKEN_UP})


def on_referral_changed(*, referral, to_status):
    if to_status in GROUP_MOVES:
        service_user_episodes_regroup(service_user_id=referral.service_user_id)


def on_attendance_changed(*, service_user_id):
    service_user_episodes_recompute(service_user_id=service_user_id)


def record_section(*, person):
    return {"outcomes": record_outcomes(person)}


def caseload_flags():
    # PHQ-9 item 9 answered above "not at all" and not yet reviewed: shown as a tag, and
    # counted as needing attention.
    return {"has_open_risk_flag": (open_risk_flag_exists(), True)}


def caseload_first():
    # ... and at the top of the caseload and first in the clinician's weekly digest.
    return {"has_open_risk_flag": "a questionnaire that needs review"}


def home_page(*, user):
    """Risk alerts on the clinician's and lead's home page; for leads, alerts that were not
    delivered and whether the service still needs a duty contact."""
    if user.role not in (Role.CLINICIAN, Role.SERVICE_LEAD):
        return {}
    context = {"risk_alerts": selectors.risk_alerts_for_home(user)}
    if user.role == Role.SERVICE_LEAD:
        context["undelivered_alerts"] = selectors.undelivered_risk_alerts(user)
        context["duty_contact_missing"] = duty_contact_missing(user.organisation_id)
    return context


def service_user_messages_blocked(*, service_id):
    return duty_contact_missing(service_id)


def duty_contact(*, service_id):
    settings_ = OutcomeSettings.objects.filter(service_id=service_id).first()
    return settings_.duty_contact_email.strip() if settings_ else ""


def crisis_support(*, service_id):
    settings_ = OutcomeSettings.objects.filter(service_id=service_id).first()
    return settings_.crisis_support_lines if settings_ else []


def message_sender(*, service_id):
    settings_ = OutcomeSettings.objects.filter(service_id=service_id).first()
    return settings_.message_sender_name if settings_ else ""


def subject_access(*, service_user):
    return {
        "episodes": _episodes(service_user),
        "risk_flags": [
            {
                "raised_at": export_value(f.raised_at),
                "reviewed_at": export_value(f.reviewed_at),
                "review_note": f.review_note,
            }
            for f in RiskFlag.objects.filter(service_user=service_user)
        ],
    }


def _episodes(service_user: ServiceUser) -> list[dict]:
    episodes = Episode.objects.filter(service_user=service_user).prefetch_related(
        "appointments", "measures", "measure_requests"
    )
    return [
        {
            "referral_received_on": export_value(e.referral_received_on),
            "referral_source": e.get_referral_source_display(),
            "ended_on": export_value(e.ended_on),
            "ending_reason": e.get_ending_reason_display() if e.ending_reason else "",
            "appointments": [
                {
                    "on": export_value(a.on),
                    "kind": a.get_kind_display(),
                    "attendance": a.get_attendance_display(),
                }
                for a in e.appointments.all()
            ],
            "measures": [
                {
                    "kind": m.get_kind_display(),
                    "taken_on": export_value(m.taken_on),
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
                {
                    "sent_at": export_value(r.created_at),
                    "completed_at": export_value(r.completed_at),
                }
                for r in e.measure_requests.all()
            ],
        }
        for e in episodes
    ]


OPEN_FLAG_BLOCKS_ERASURE = (
    "This person has a risk flag that has not been reviewed. Record its review before "
    "erasing their personal data, so the people alerted can still reach them"
)


def erasure_refused(*, service_user):
    # Erasing blanks the contact details the alerted clinician needs to follow up the risk.
    return OPEN_FLAG_BLOCKS_ERASURE if has_open_risk_flag(service_user) else ""


def erase(*, service_user):
    """Flags and their alerts are kept (they say a risk was raised and who was told); the
    review note is erased, and an open flag stops escalating: the record is gone."""
    RiskFlag.objects.filter(service_user=service_user, reviewed_at__isnull=False).update(
        review_note=ERASED_NAME
    )
    RiskFlag.objects.filter(service_user=service_user).update(escalate_at=None)


def register():
    hooks.referral_changed.register(on_referral_changed)
    hooks.attendance_changed.register(on_attendance_changed)
    hooks.record_sections.register(record_section)
    hooks.caseload_flags.register(caseload_flags)
    hooks.caseload_first.register(caseload_first)
    hooks.subject_access.register(subject_access)
    hooks.erasure_refused.register(erasure_refused)
    hooks.erasure.register(erase)
    core_hooks.home_page.register(home_page)
    core_hooks.on_call_figures.register(selectors.on_call_figures)
    nudge_hooks.service_user_messages_blocked.register(service_user_messages_blocked)
    nudge_hooks.duty_contact.register(duty_contact)
    nudge_hooks.crisis_support.register(crisis_support)
    nudge_hooks.message_sender.register(message_sender)
