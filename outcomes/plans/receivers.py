"""The plans' part in the record page and in data rights, registered from OutcomesConfig."""

from outcomes.plans import checkins, scopes  # noqa: F401  (scopes registers the scoping)
from outcomes.plans.models import ActivityConversation, ActivityPlan
from outcomes.plans.presenters import record_being_active
from referrals import hooks
from referrals.data_rights.services import export_value
from referrals.nudges import hooks as nudge_hooks


def record_section(*, person):
    return {"being_active": record_being_active(person)}


def subject_access(*, service_user):
    plans = ActivityPlan.objects.filter(service_user=service_user).prefetch_related(
        "steps", "check_ins"
    )
    return {
        "activity_conversations": [
            {
                "held_at": export_value(c.held_at),
                "confidence": c.confidence,
                "readiness": c.get_readiness_display(),
                "support": c.get_support_display(),
                "barriers": c.barriers,
                "enjoys": c.enjoys,
                "enjoys_note": c.enjoys_note,
            }
            for c in ActivityConversation.objects.filter(service_user=service_user)
        ],
        "activity_plans": [
            {
                "activity": p.get_activity_display(),
                "description": p.description,
                "target_minutes": p.target_minutes,
                "status": p.get_status_display(),
                "sent_at": export_value(p.sent_at),
                "steps": [
                    {"week": s.week, "minutes_a_day": s.minutes_a_day, "days": s.days}
                    for s in p.steps.all()
                ],
                "check_ins": [
                    {"week": c.week, "days_done": c.days_done, "minutes_a_day": c.minutes_a_day}
                    for c in p.check_ins.all()
                ],
            }
            for p in plans
        ],
    }


def erase(*, service_user):
    """What they said they enjoy, in their words, goes; the plan's numbers stay for counts."""
    ActivityConversation.objects.filter(service_user=service_user).update(enjoys_note="")
    ActivityPlan.objects.filter(service_user=service_user).update(description="")


def due_work(*, now):
    """The week-6 call and missed check-ins tasks, when send_due_nudges moves the clock on."""
    return checkins.plan_check_in_tasks(now=now)


def register():
    hooks.record_sections.register(record_section)
    hooks.subject_access.register(subject_access)
    hooks.erasure.register(erase)
    nudge_hooks.due_work.register(due_work)
