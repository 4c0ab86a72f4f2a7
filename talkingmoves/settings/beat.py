"""What Celery beat starts, and when. Every task here also has a row in workers.py's
TASK_POLICIES and in ADR 009's audit table (tests/deploy/test_celery_production.py)."""

from celery.schedules import crontab

CELERY_BEAT_SCHEDULE = {
    "record-worker-heartbeat": {
        "task": "talkingmoves.core.tasks.record_worker_heartbeat",
        "schedule": 60.0,
    },
    "auto-decline-unanswered-referrals": {
        "task": "referrals.tasks.auto_decline_unanswered",
        "schedule": 60.0 * 60,
    },
    "dispatch-due-nudges": {
        "task": "referrals.nudges.tasks.dispatch_due_nudges",
        "schedule": 60.0,
    },
    "check-risk-alerts": {
        # Escalate risk flags nobody has acknowledged; send on alerts that were not delivered.
        "task": "outcomes.tasks.check_risk_alerts",
        "schedule": 60.0,
    },
    # --- Call requests not done within a working day (clinical safety, HAZ-005) ---
    "escalate-call-requests": {
        "task": "referrals.nudges.tasks.escalate_call_requests",
        "schedule": 5 * 60.0,
    },
    # --- Clinicians' tasks: silent providers and unanswered "did you go?" messages (HAZ-004)
    "tasks-for-silent-providers": {
        "task": "referrals.tasks.tasks_for_silent_providers",
        "schedule": 60.0 * 60,
    },
    "tasks-for-unanswered-messages": {
        "task": "referrals.nudges.tasks.tasks_for_unanswered_messages",
        "schedule": 60.0 * 60,
    },
    # Activity plans: the week-6 call, and two weekly check-ins in a row unanswered (ADR 019)
    "plan-check-in-tasks": {
        "task": "outcomes.tasks.plan_check_in_tasks",
        "schedule": 60.0 * 60,
    },
    # ---
    "clinician-weekly-digests": {
        "task": "referrals.nudges.tasks.clinician_weekly_digests",
        # Monday 08:00, after the weekend's referrals have settled.
        "schedule": crontab(hour=8, minute=0, day_of_week=1),
    },
    "refresh-lead-dashboards": {
        "task": "outcomes.dashboards.tasks.refresh_lead_dashboards",
        "schedule": 10 * 60.0,
    },
    "refresh-partnership-gaps": {
        "task": "outcomes.dashboards.tasks.refresh_partnership_gaps",
        "schedule": 10 * 60.0,
    },
    # ADR 013: the dashboards' episode facts rebuilt from the episodes, drift reported.
    "reconcile-episode-facts": {
        "task": "outcomes.dashboards.tasks.reconcile_episode_facts",
        "schedule": crontab(hour=2, minute=30),
    },
    # ADR 018: referral and message facts by day, kept by triggers, rebuilt and checked.
    "reconcile-day-facts": {
        "task": "outcomes.dashboards.tasks.reconcile_day_facts",
        "schedule": crontab(hour=2, minute=40),
    },
    # Issue 14: provider responsiveness is stored; the 12 months it covers move on nightly.
    "reconcile-provider-responsiveness": {
        "task": "referrals.tasks.reconcile_provider_responsiveness",
        "schedule": crontab(hour=2, minute=50),
    },
    "harvest-openactive-feeds": {
        "task": "providers.openactive.tasks.harvest_all_feeds",
        "schedule": 60.0 * 60,
    },
    # ADR 025: the feed's changed items written and kept before a harvester asks for them.
    "keep-openactive-feed-items-ahead": {
        "task": "providers.open_data.tasks.keep_feed_items_ahead",
        "schedule": 5 * 60.0,
    },
    "partnership-weekly-digest": {
        "task": "providers.tasks.send_partnership_digests",
        # Monday 07:00: listings that need checking and feeds that failed.
        "schedule": crontab(hour=7, minute=0, day_of_week=1),
    },
    "clear-expired-sessions": {
        "task": "talkingmoves.core.tasks.clear_expired_sessions",
        "schedule": 60.0 * 60 * 6,
    },
}

# Jobs (talkingmoves/jobs, ADR 008): a running job whose worker died is started again once,
# then failed.
CELERY_BEAT_SCHEDULE["sweep-stale-jobs"] = {
    "task": "talkingmoves.jobs.tasks.sweep_stale_jobs",
    "schedule": 60.0,
}

# Measures import (outcomes/measures_import, ADR 014): an import nobody applied loses its
# file and records (NHS numbers, answers) after 7 days.
CELERY_BEAT_SCHEDULE["forget-stale-measure-imports"] = {
    "task": "outcomes.tasks.forget_stale_measure_imports",
    "schedule": 24 * 60 * 60.0,
}
