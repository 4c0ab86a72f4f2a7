"""Where higher apps (the nudge outbox, outcomes) take part in referrals' work without
referrals importing them. See talkingmoves/core/hooks.py; receivers register in their
AppConfig.ready()."""

from talkingmoves.core.hooks import Hook

service_user_created = Hook(
    "service_user_created",
    "receiver(service_user): a record was just created, in its transaction.",
)
referral_changed = Hook(
    "referral_changed",
    "receiver(referral, to_status): a referral was created or moved, in its transaction.",
)
attendance_changed = Hook(
    "attendance_changed",
    "receiver(service_user_id): an attended session was recorded or corrected for one of the "
    "person's referrals (by the provider, or self-reported), in its transaction.",
)
record_sections = Hook(
    "record_sections",
    "receiver(person) -> dict: extra context for the service-user record page.",
)
caseload_flags = Hook(
    "caseload_flags",
    "receiver() -> dict[name, (expression, needs_attention)]: per-person annotations for the "
    "caseload (an expression over OuterRef('pk')); needs_attention adds it to that filter.",
)
caseload_first = Hook(
    "caseload_first",
    "receiver() -> dict[name, words]: caseload_flags that put a person at the top of the "
    "caseload and first in the clinician's digest, with what they mean in plain words "
    "(counted, never named, in the digest).",
)
subject_access = Hook(
    "subject_access",
    "receiver(service_user) -> dict: sections of the subject access export.",
)
erasure_refused = Hook(
    "erasure_refused",
    "receiver(service_user) -> str: why this person's data may not be erased yet (for "
    "example, a risk flag still open), or '' when it may.",
)
erasure = Hook(
    "erasure",
    "receiver(service_user): remove what identifies the person, in the erasure's transaction.",
)
session_missed = Hook(
    "session_missed",
    "receiver(referral, session_date): the provider marked a session missed (it was not "
    "marked missed before), in its transaction.",
)
task_created = Hook(
    "task_created",
    "receiver(task): a task for the service user's clinician was just created, in its transaction.",
)
task_done = Hook(
    "task_done",
    "receiver(task, by): a clinician marked a task done, in its transaction.",
)
