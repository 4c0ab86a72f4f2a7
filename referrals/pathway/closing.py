"""Closing a person's referrals when the service may no longer share their details: consent
to share withdrawn, or the record erased. Each closes as "withdrawn" through the transition
table, so its event is appended, pending messages about it are cancelled (the nudge outbox's
referral_changed receiver) and the provider sees only "no longer needed"."""

from django.db import transaction

from referrals.models import Referral, ServiceUser
from referrals.pathway import transitions
from referrals.pathway.services import _transition

S = Referral.Status
# Referrals a provider holds the person's details for, and drafts that would be sent.
SHARED = (S.SENT, S.ACCEPTED, S.ATTENDING)
ALL_OPEN_REFERRALS = (S.DRAFT, *SHARED)

# Event notes, for the clinician's timeline: why, never anything about the person.
ON_ERASURE = "Closed because the record was erased"
ON_CONSENT_WITHDRAWN = "Closed because consent to share was withdrawn"


@transaction.atomic
def referrals_close_for_person(
    *, service_user: ServiceUser, by, note: str, statuses: tuple[str, ...] = SHARED
) -> int:
    """Withdraw the person's open referrals in `statuses`, on behalf of their service (the
    caller has checked the user may act for it). Signposting shared nothing with anyone and
    stays as it is. Returns how many were closed."""
    closed = 0
    referrals = Referral.objects.filter(
        service_user=service_user, kind=Referral.Kind.REFER, status__in=statuses
    ).order_by("pk")
    for referral in referrals:
        _transition(
            referral,
            to=S.WITHDRAWN,
            actor=by,
            acting_as=transitions.CLINICIAN,
            expected_from=referral.status,
            note=note,
        )
        closed += 1
    return closed
