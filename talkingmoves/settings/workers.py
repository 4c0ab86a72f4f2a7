"""Celery for production: queues, routes and each task's limits and acknowledgement (ADR 009).

Imported by base.py, so every environment routes the same way. Four queues, each drained by
its own worker group (Procfile, scripts/worker): an import or a report never waits in front
of a message. tests/deploy/test_celery_production.py fails for any registered task that has
no route here or no time limits.
"""

from kombu import Queue

from .env import env_int

MESSAGES, IMPORTS, REPORTS, DEFAULT = "messages", "imports", "reports", "default"
QUEUES = (MESSAGES, IMPORTS, REPORTS, DEFAULT)

# By task name; the first pattern that matches wins. Every task needs one (no fallback).
TASK_ROUTES_BY_NAME = {
    # Follow-up messages, digests and risk alerts: a person is waiting for these.
    "referrals.nudges.tasks.*": MESSAGES,
    "outcomes.tasks.check_risk_alerts": MESSAGES,
    "providers.tasks.send_partnership_digests": MESSAGES,
    # Long work: spreadsheet and measures jobs, OpenActive harvests.
    "talkingmoves.jobs.tasks.*": IMPORTS,
    "providers.openactive.tasks.*": IMPORTS,
    # Dashboard figures, and the OpenActive feed's items written ahead of harvesters.
    "outcomes.dashboards.tasks.*": REPORTS,
    "providers.open_data.tasks.*": REPORTS,
    # Housekeeping.
    "outcomes.tasks.forget_stale_measure_imports": DEFAULT,
    "outcomes.tasks.plan_check_in_tasks": DEFAULT,
    "referrals.tasks.*": DEFAULT,
    "talkingmoves.core.tasks.*": DEFAULT,
}

CELERY_TASK_QUEUES = [Queue(name, routing_key=name) for name in QUEUES]
CELERY_TASK_DEFAULT_QUEUE = DEFAULT
CELERY_TASK_ROUTES = [
    {pattern: {"queue": queue, "routing_key": queue}}
    for pattern, queue in TASK_ROUTES_BY_NAME.items()
]


def _policy(soft: int, hard: int, *, redeliver: bool) -> dict:
    """`redeliver`: acks_late with reject_on_worker_lost, so a worker that dies mid-task
    hands the message back. Only for tasks that are safe to run twice (ADR 009 says why)."""
    return {
        "soft_time_limit": soft,
        "time_limit": hard,
        "acks_late": redeliver,
        "reject_on_worker_lost": redeliver,
    }


MINUTE = 60
# (soft, hard) seconds. The soft limit raises inside the task so it can stop cleanly; the
# hard limit kills the process. The audit table in docs/adr/009-celery-and-database-in-production.md
# repeats these with the reasons.
TASK_POLICIES = {
    # Conditional claims with a lease: a second run claims nothing twice.
    "referrals.nudges.tasks.dispatch_due_nudges": _policy(50, MINUTE, redeliver=True),
    # Leased by a conditional UPDATE, and asks the gateway before sending a second time.
    # Hard limit well under NUDGE_LEASE_SECONDS, so a stuck send ends before its lease does.
    "referrals.nudges.tasks.send_nudge": _policy(MINUTE, 90, redeliver=True),
    # The same for a batch; it stops taking nudges after 40 s and puts the rest back.
    "referrals.nudges.tasks.send_nudges": _policy(MINUTE, 90, redeliver=True),
    # Skips clinicians who already have this week's digest.
    "referrals.nudges.tasks.clinician_weekly_digests": _policy(
        4 * MINUTE, 5 * MINUTE, redeliver=True
    ),
    # "Safe to run twice at once": conditional updates on the flags.
    "outcomes.tasks.check_risk_alerts": _policy(45, MINUTE, redeliver=True),
    # The week's digest row is written (unique per week) before sending: never twice.
    "providers.tasks.send_partnership_digests": _policy(4 * MINUTE, 5 * MINUTE, redeliver=True),
    # Resumes from the last page; a page that kills a worker would be retried at once in a
    # loop, so the hourly run takes it up instead. Under the hour, so runs never overlap.
    "providers.openactive.tasks.harvest_feed": _policy(50 * MINUTE, 55 * MINUTE, redeliver=False),
    # Only queues harvests; a feed already being harvested is skipped.
    "providers.openactive.tasks.harvest_all_feeds": _policy(MINUTE, 90, redeliver=True),
    # Idempotent, but superseded within 10 minutes; a query that killed a worker must not be
    # retried straight away.
    "outcomes.dashboards.tasks.refresh_lead_dashboards": _policy(
        8 * MINUTE, 9 * MINUTE, redeliver=False
    ),
    "outcomes.dashboards.tasks.refresh_partnership_gaps": _policy(
        8 * MINUTE, 9 * MINUTE, redeliver=False
    ),
    # One period an officer opened; the page asks again if nothing is kept in 5 minutes.
    "outcomes.dashboards.tasks.work_out_area_figures": _policy(
        4 * MINUTE, 5 * MINUTE, redeliver=False
    ),
    # Writes only what is not kept yet, and stops itself after 3 minutes; the next run,
    # five minutes on, goes on from there.
    "providers.open_data.tasks.keep_feed_items_ahead": _policy(
        4 * MINUTE, 5 * MINUTE, redeliver=False
    ),
    # A referral answered meanwhile is refused by the service and skipped.
    "referrals.tasks.auto_decline_unanswered": _policy(4 * MINUTE, 5 * MINUTE, redeliver=True),
    # One task per cause (a unique constraint): a second run or a redelivery adds nothing.
    "referrals.tasks.tasks_for_silent_providers": _policy(4 * MINUTE, 5 * MINUTE, redeliver=True),
    "referrals.nudges.tasks.tasks_for_unanswered_messages": _policy(
        4 * MINUTE, 5 * MINUTE, redeliver=True
    ),
    # Rebuilds every stored figure from the referrals in one transaction: running it twice
    # gives the same rows.
    "referrals.tasks.reconcile_provider_responsiveness": _policy(
        4 * MINUTE, 5 * MINUTE, redeliver=True
    ),
    # A heartbeat is worth nothing late: the next one comes within a minute.
    "talkingmoves.core.tasks.record_worker_heartbeat": _policy(20, 30, redeliver=False),
    "talkingmoves.core.tasks.clear_expired_sessions": _policy(
        10 * MINUTE, 15 * MINUTE, redeliver=True
    ),
    # The Job row is the record: run_job claims it conditionally (a second copy does
    # nothing) and sweep_stale_jobs restarts or fails a job whose worker died.
    "talkingmoves.jobs.tasks.run_job": _policy(25 * MINUTE, 30 * MINUTE, redeliver=False),
    "talkingmoves.jobs.tasks.sweep_stale_jobs": _policy(45, MINUTE, redeliver=True),
    # Tasks arriving from branches in flight (issue 13 and the safety work), decided here so
    # they pass the audit when they land: each claims or rebuilds conditionally.
    "referrals.nudges.tasks.escalate_call_requests": _policy(45, MINUTE, redeliver=True),
    "outcomes.tasks.forget_stale_measure_imports": _policy(4 * MINUTE, 5 * MINUTE, redeliver=True),
    # One task per plan and cause (a unique source key): a second run adds nothing.
    "outcomes.tasks.plan_check_in_tasks": _policy(4 * MINUTE, 5 * MINUTE, redeliver=True),
    # A nightly rebuild: the next night's run takes it up rather than a worker that just died.
    "outcomes.dashboards.tasks.reconcile_episode_facts": _policy(
        20 * MINUTE, 25 * MINUTE, redeliver=False
    ),
    "outcomes.dashboards.tasks.reconcile_day_facts": _policy(
        20 * MINUTE, 25 * MINUTE, redeliver=False
    ),
}
CELERY_TASK_ANNOTATIONS = TASK_POLICIES

# Nothing is redelivered unless its policy says so.
CELERY_TASK_ACKS_LATE = False
CELERY_TASK_REJECT_ON_WORKER_LOST = False
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A task missing from TASK_POLICIES still stops (the audit test fails for it meanwhile).
CELERY_TASK_SOFT_TIME_LIMIT = 5 * MINUTE
CELERY_TASK_TIME_LIMIT = 6 * MINUTE

# --- The broker connection. Retry at start (the broker may come up after the worker), and
# give up on a dead socket instead of hanging.
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = env_int("CELERY_BROKER_MAX_RETRIES", default=100)
CELERY_BROKER_CONNECTION_TIMEOUT = env_int("CELERY_BROKER_CONNECT_TIMEOUT", default=5)
# Redis hands an unacknowledged message to another worker after this long, so it must
# outlast the longest hard limit of a redelivered task (the audit test checks).
VISIBILITY_TIMEOUT = env_int("CELERY_VISIBILITY_TIMEOUT", default=2 * 60 * MINUTE)
REDIS_BROKER_OPTIONS = {
    "visibility_timeout": VISIBILITY_TIMEOUT,
    "socket_timeout": env_int("CELERY_BROKER_SOCKET_TIMEOUT", default=10),
    "socket_connect_timeout": env_int("CELERY_BROKER_CONNECT_TIMEOUT", default=5),
    "socket_keepalive": True,
    "health_check_interval": 30,
    "retry_on_timeout": True,
}


# --- Beat. Production uses celery-redbeat (settings/production.py): the schedule lives in
# Redis and beat holds a lock there, extended on every tick. A second beat waits for the lock
# and takes over only when the first stops extending it (CELERY_REDBEAT_LOCK_TIMEOUT seconds
# after it died), so two beats never both send. These are read only by that scheduler.
CELERY_REDBEAT_KEY_PREFIX = "talkingmoves:redbeat:"
CELERY_REDBEAT_LOCK_TIMEOUT = env_int("CELERY_REDBEAT_LOCK_TIMEOUT", default=2 * MINUTE)
CELERY_REDBEAT_REDIS_OPTIONS = {
    "socket_timeout": REDIS_BROKER_OPTIONS["socket_timeout"],
    "socket_connect_timeout": REDIS_BROKER_OPTIONS["socket_connect_timeout"],
    "retry_period": 60,  # seconds to keep retrying a lost Redis before beat gives up
}
# Beat wakes at least this often, so it extends its lock well within the timeout, and a
# waiting beat tries for the lock this often.
CELERY_BEAT_MAX_LOOP_INTERVAL = 30

__all__ = [name for name in list(globals()) if name.startswith("CELERY_")] + [
    "QUEUES",
    "REDIS_BROKER_OPTIONS",
    "VISIBILITY_TIMEOUT",
    "TASK_POLICIES",
    "TASK_ROUTES_BY_NAME",
]
