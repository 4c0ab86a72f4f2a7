"""Changing a service user's shortlist. Sending it is the messages app's (nudges)."""

from django.db import IntegrityError, transaction

from referrals.shortlists.models import ShortlistItem
from talkingmoves.audit.actions import AccessAction
from talkingmoves.audit.services import access_log_write


class ShortlistError(Exception):
    pass


@transaction.atomic
def shortlist_item_add(*, service_user, activity, by, note: str = "") -> ShortlistItem:
    try:
        with transaction.atomic():
            item = ShortlistItem.objects.create(
                service_user=service_user, activity=activity, note=note.strip(), added_by=by
            )
    except IntegrityError:
        raise ShortlistError(f"{activity.name} is already on the shortlist") from None
    access_log_write(actor=by, action=AccessAction.UPDATE, obj=service_user, path="shortlist add")
    return item


@transaction.atomic
def shortlist_item_note(*, item: ShortlistItem, note: str, by) -> ShortlistItem:
    item.note = note.strip()
    item.save(update_fields=["note"])
    access_log_write(
        actor=by, action=AccessAction.UPDATE, obj=item.service_user, path="shortlist note"
    )
    return item


@transaction.atomic
def shortlist_item_remove(*, item: ShortlistItem, by) -> None:
    service_user = item.service_user
    item.delete()
    access_log_write(
        actor=by, action=AccessAction.UPDATE, obj=service_user, path="shortlist remove"
    )


def on_erasure(*, service_user):
    """What was chosen for the person goes with them."""
    ShortlistItem.objects.filter(service_user=service_user).delete()


def subject_access(*, service_user):
    return {
        "shortlist": [
            {
                "activity": item.activity.name,
                "note": item.note,
                "added_at": item.added_at.isoformat(),
            }
            for item in ShortlistItem.objects.filter(service_user=service_user).select_related(
                "activity"
            )
        ]
    }
