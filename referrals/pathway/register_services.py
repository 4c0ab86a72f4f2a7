"""The provider's session register: one save records a whole session for everyone on it."""

from collections.abc import Iterable
from datetime import date

from django.db import transaction

from referrals.models import Referral
from referrals.pathway.services import attendance_record


@transaction.atomic
def register_record(*, marks: Iterable[tuple[Referral, str]], session_date: date, by) -> int:
    """Record each (referral, attendance) for the session, through attendance_record, so each
    mark moves the referral, refreshes its provider-recorded first session, fires
    session_missed and lets outcomes recompute the person's episode groups exactly as a mark
    made on the referral's own page does. All or nothing: one refused mark (ReferralError)
    saves none. Returns how many marks were recorded."""
    count = 0
    for referral, status in marks:
        attendance_record(referral=referral, session_date=session_date, status=status, by=by)
        count += 1
    return count
