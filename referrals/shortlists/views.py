"""The shortlist on a record: add from a search, note, remove, and print to hand over."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from referrals.shortlists import selectors, services
from referrals.shortlists.models import ShortlistItem
from talkingmoves.accounts.permissions import Action, permission_required
from talkingmoves.audit.actions import AccessAction
from talkingmoves.audit.services import access_log_write

NOTE_LIMIT = ShortlistItem._meta.get_field("note").max_length


def _back(request, person) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("referrals:record", args=[person.public_id]) + "#shortlist"


def _item_or_404(request, public_id, item_id) -> ShortlistItem:
    person = selectors.person_for(request.user, public_id)
    return get_object_or_404(
        ShortlistItem.objects.select_related("service_user", "activity"),
        pk=item_id,
        service_user=person,
    )


@require_POST
@permission_required(Action.MANAGE_REFERRALS)
def shortlist_add(request, public_id, activity_public_id):
    person = selectors.person_for(request.user, public_id)
    activity = selectors.listed_activity_for(request.user, activity_public_id)
    try:
        services.shortlist_item_add(service_user=person, activity=activity, by=request.user)
    except services.ShortlistError as error:
        messages.info(request, str(error))
    else:
        messages.success(request, f"{activity.name} added to {person.given_name}'s shortlist")
    return redirect(_back(request, person))


@require_POST
@permission_required(Action.MANAGE_REFERRALS)
def shortlist_note(request, public_id, item_id):
    item = _item_or_404(request, public_id, item_id)
    note = request.POST.get("note", "")
    if len(note.strip()) > NOTE_LIMIT:
        messages.error(request, f"A note must be {NOTE_LIMIT} characters or fewer")
    else:
        services.shortlist_item_note(item=item, note=note, by=request.user)
        messages.success(request, f"Note saved for {item.activity.name}")
    return redirect(_back(request, item.service_user))


@require_POST
@permission_required(Action.MANAGE_REFERRALS)
def shortlist_remove(request, public_id, item_id):
    item = _item_or_404(request, public_id, item_id)
    name = item.activity.name
    services.shortlist_item_remove(item=item, by=request.user)
    messages.success(request, f"{name} removed from the shortlist")
    return redirect(_back(request, item.service_user))


@require_GET
@permission_required(Action.MANAGE_REFERRALS)
def shortlist_print(request, public_id):
    """One page to print and hand over: the activities, how to get there and when; the
    person's first name only, nothing clinical."""
    person = selectors.person_for(request.user, public_id)
    access_log_write(actor=request.user, action=AccessAction.VIEW, obj=person, path=request.path)
    return render(
        request,
        "referrals/shortlists/print.html",
        {"person": person, "items": selectors.shortlist_for(person)},
    )
