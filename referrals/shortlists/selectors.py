"""Reading shortlists: for the record, the print-out and the page a sent link opens."""

from datetime import datetime

from django.db.models import QuerySet

from providers.models import Activity
from referrals.models import ServiceUser
from referrals.shortlists.models import ShortlistItem
from talkingmoves.accounts.scoping import get_for_user_or_404, visible_to
from talkingmoves.core.compiled_query import CompiledInstances, an_id


def shortlist_for(service_user, *, saved_by: datetime | None = None) -> QuerySet[ShortlistItem]:
    """The person's shortlist, live activities only; with saved_by, only what was on it then
    (what a link sent at that moment showed)."""
    items = ShortlistItem.objects.filter(
        service_user=service_user, activity__archived_at__isnull=True
    ).select_related("activity", "activity__venue", "activity__provider")
    if saved_by is not None:
        items = items.filter(added_at__lte=saved_by)
    return items.prefetch_related("activity__weekly_slots", "activity__one_off_sessions")


# Compiled once (talkingmoves/core/compiled_query.py), as the record's other small reads.
_FOR_RECORD = CompiledInstances(
    lambda _shape, *, person_id: (
        ShortlistItem.objects.filter(service_user_id=person_id, activity__archived_at__isnull=True)
        .select_related("activity__provider")
        .only("note", "activity__public_id", "activity__name", "activity__provider__name")
    ),
    person_id=an_id(),
)


def shortlist_for_record(service_user) -> list[ShortlistItem]:
    """The record's shortlist table: each live activity's name and provider and the note (no
    venue or sessions, which only the printed list and the sent page show)."""
    return _FOR_RECORD.instances(person_id=service_user.pk)


def person_for(user, public_id) -> ServiceUser:
    """The service user, if in the user's service; 404 otherwise."""
    return get_for_user_or_404(user, ServiceUser, public_id=public_id)


def listed_activity_for(user, public_id) -> Activity:
    """A live activity the user may see in the directory; 404 otherwise."""
    return get_for_user_or_404(
        user, visible_to(user, Activity).filter(archived_at__isnull=True), public_id=public_id
    )
