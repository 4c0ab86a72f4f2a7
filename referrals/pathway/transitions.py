"""The one table of allowed referral moves, and who may make each.

Every service that changes a referral's status consults `allowed()`; nothing else writes
`Referral.status`.
"""

from referrals.models import Referral

S = Referral.Status

CLINICIAN = "clinician"  # clinician or service lead of the person's service
PROVIDER = "provider"  # staff of the provider that runs the activity
SYSTEM = "system"  # a named job, such as the 14-day auto-decline
SERVICE_USER = "service_user"  # through a signed link in a message

TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    (S.DRAFT, S.SENT): frozenset({CLINICIAN}),
    (S.DRAFT, S.WITHDRAWN): frozenset({CLINICIAN}),
    (S.SENT, S.ACCEPTED): frozenset({PROVIDER}),
    (S.SENT, S.DECLINED): frozenset({PROVIDER, SYSTEM}),
    (S.SENT, S.WITHDRAWN): frozenset({CLINICIAN}),
    (S.ACCEPTED, S.ATTENDING): frozenset({PROVIDER, SERVICE_USER}),
    (S.ACCEPTED, S.WITHDRAWN): frozenset({CLINICIAN}),
    (S.ACCEPTED, S.DROPPED_OUT): frozenset({PROVIDER, CLINICIAN}),
    (S.ATTENDING, S.COMPLETED): frozenset({PROVIDER, CLINICIAN}),
    (S.ATTENDING, S.DROPPED_OUT): frozenset({PROVIDER, CLINICIAN}),
    (S.ATTENDING, S.WITHDRAWN): frozenset({CLINICIAN}),
    (S.SIGNPOSTED, S.TAKEN_UP): frozenset({CLINICIAN, SERVICE_USER}),
    (S.SIGNPOSTED, S.NOT_TAKEN_UP): frozenset({CLINICIAN, SERVICE_USER}),
}


def allowed(from_status: str, to_status: str, actor_kind: str) -> bool:
    return actor_kind in TRANSITIONS.get((from_status, to_status), frozenset())


def next_statuses(from_status: str, actor_kind: str) -> list[str]:
    return [
        to for (frm, to), kinds in TRANSITIONS.items() if frm == from_status and actor_kind in kinds
    ]
