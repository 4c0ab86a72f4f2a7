"""Clinicians: from a record to the directory, refer or signpost in one step, then follow the
referral. Every page that shows a person writes the access log."""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from providers.selectors import activity_for
from referrals.inbox.forms import MoveForm
from referrals.models import Referral, ServiceUser
from referrals.pathway import services, transitions
from referrals.pathway.forms import (
    CLINICIAN_MOVE_LABELS,
    SEARCH_PARAM_FIELDS,
    ReferralForm,
    search_params_for,
)
from talkingmoves.accounts.permissions import Action, permission_required
from talkingmoves.accounts.scoping import get_for_user_or_404
from talkingmoves.audit.actions import AccessAction
from talkingmoves.audit.services import access_log_write

S = Referral.Status


@require_GET
@permission_required(Action.MANAGE_REFERRALS)
def find_for(request, public_id):
    people = ServiceUser.objects.only(*SEARCH_PARAM_FIELDS)
    person = get_for_user_or_404(request.user, people, public_id=public_id)
    return redirect(f"{reverse('providers:search')}?{urlencode(search_params_for(person))}")


def _blocker_rows(person, blockers):
    record = reverse("referrals:record", args=[person.public_id])
    return [{"message": b.message, "url": f"{record}#{b.fix}"} for b in blockers]


def _open_referral(person, activity):
    return person.referrals.filter(activity=activity, status__in=Referral.OPEN_STATUSES).first()


@require_http_methods(["GET", "POST"])
@permission_required(Action.MANAGE_REFERRALS)
def refer(request, public_id, activity_public_id):
    """Refer in one step (create and send), or record signposting for a signpost-only
    listing; says what is missing instead of offering a send that would be refused."""
    person = get_for_user_or_404(request.user, ServiceUser, public_id=public_id)
    activity = activity_for(request.user, activity_public_id)
    access_log_write(actor=request.user, action=AccessAction.VIEW, obj=person, path=request.path)
    signposting = not activity.takes_referrals or request.GET.get("kind") == "signpost"
    closed = activity.archived_at is not None or activity.provider.archived_at is not None
    sending = request.method == "POST" and not (signposting or closed)
    # A send meets an open referral as the database's refusal: it is looked up for the page.
    existing = None if sending else _open_referral(person, activity)
    form = None if signposting else ReferralForm(request.POST or None, service_user=person)
    error = ""
    blockers = None  # what stops a send: from the send itself when it was tried
    if request.method == "POST" and not (closed or existing):
        try:
            if signposting:
                referral = services.referral_create(
                    service_user=person,
                    activity=activity,
                    kind=Referral.Kind.SIGNPOST,
                    by=request.user,
                )
                done = f"Signposting to {activity.name} recorded"
            elif form.is_valid():
                referral = services.referral_create_and_send(
                    service_user=person, activity=activity, by=request.user, **form.details()
                )
                done = f"Referral sent to {activity.provider.name}"
            else:
                referral = None
        except services.SendBlocked as refused:
            blockers = refused.blockers
        except services.ReferralError as refused:
            error = str(refused)
        else:
            if referral is not None:
                messages.success(request, done)
                return redirect("referrals:referral_detail", referral.public_id)
    if sending:
        existing = _open_referral(person, activity)
        if existing:  # the page links to it, as when it was there before the POST
            error, blockers = "", []
    if blockers is None:
        blocked = signposting or closed or existing
        blockers = [] if blocked else services.send_blockers(service_user=person, activity=activity)
    return render(
        request,
        "referrals/pathway/refer.html",
        {
            "person": person,
            "activity": activity,
            "form": form,
            "signposting": signposting,
            "closed": closed,
            "existing": existing,
            "blockers": _blocker_rows(person, blockers),
            "error": error,
        },
    )


def _clinician_moves(referral):
    return [
        {"to": to, "label": CLINICIAN_MOVE_LABELS[to]}
        for to in transitions.next_statuses(referral.status, transitions.CLINICIAN)
        if to in CLINICIAN_MOVE_LABELS
    ]


@require_GET
@permission_required(Action.MANAGE_REFERRALS)
def referral_detail(request, public_id):
    referral = get_for_user_or_404(
        request.user,
        Referral.objects.select_related("service_user", "activity__provider", "activity__venue"),
        public_id=public_id,
    )
    access_log_write(actor=request.user, action=AccessAction.VIEW, obj=referral, path=request.path)
    return render(
        request,
        "referrals/pathway/detail.html",
        {
            "referral": referral,
            "person": referral.service_user,
            "events": referral.events.select_related("actor"),
            "attendances": referral.attendances.all(),
            "moves": _clinician_moves(referral),
        },
    )


@require_POST
@permission_required(Action.MANAGE_REFERRALS)
def referral_move(request, public_id):
    referral = get_for_user_or_404(request.user, Referral, public_id=public_id)
    form = MoveForm(request.POST)
    if not form.is_valid() or form.cleaned_data["to"] not in CLINICIAN_MOVE_LABELS:
        return HttpResponseBadRequest("Choose a change to make")
    try:
        services.referral_move(
            referral=referral,
            to=form.cleaned_data["to"],
            by=request.user,
            expected_from=form.cleaned_data["expected_from"],
            note=form.cleaned_data["note"],
        )
    except services.ReferralError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, f"Referral marked {S(form.cleaned_data['to']).label.lower()}")
    return redirect("referrals:referral_detail", referral.public_id)
