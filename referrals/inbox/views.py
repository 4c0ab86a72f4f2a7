"""Provider inbox: referrals to the organisation's activities, answered by POST-redirect-GET.
Every page that shows a referral writes the access log."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from referrals.inbox import links, register_selectors, selectors
from referrals.inbox.forms import AcceptForm, AttendanceForm, DeclineForm, MoveForm
from referrals.models import Referral
from referrals.pathway import services
from talkingmoves.accounts.permissions import Action, permission_required
from talkingmoves.audit.actions import AccessAction
from talkingmoves.audit.services import access_log_write

S = Referral.Status
INBOX_PAGE_SIZE = 25


@require_GET
@permission_required(Action.ANSWER_REFERRALS)
def inbox(request):
    tab = request.GET.get("tab", selectors.DEFAULT_TAB)
    if tab not in selectors.TABS:
        tab = selectors.DEFAULT_TAB
    page = selectors.inbox_page(request.user, tab, params=request.GET, per_page=INBOX_PAGE_SIZE)
    referrals = page.rows
    selectors.log_views(user=request.user, referrals=referrals, path=request.path)
    counts = selectors.tab_counts(request.user)
    tabs = [
        {
            "key": key,
            "label": label,
            "count_text": selectors.count_text(counts[key]),
            "current": key == tab,
        }
        for key, (label, _statuses) in selectors.TABS.items()
    ]
    return render(
        request,
        "referrals/inbox/inbox.html",
        {
            "tabs": tabs,
            "tab": tab,
            "tab_label": selectors.TABS[tab][0],
            "rows": [selectors.provider_view(r) for r in referrals],
            "page": page,
        },
    )


def _forms_for(referral, data=None, bound: str = ""):
    def action(name):
        return reverse(f"referrals:inbox_{name}", args=[referral.public_id])

    return {
        "accept_form": AcceptForm(
            data if bound == "accept" else None,
            prefix="accept",
            action=action("accept"),
            next_sessions=register_selectors.next_sessions(referral),
        ),
        "decline_form": DeclineForm(
            data if bound == "decline" else None, prefix="decline", action=action("decline")
        ),
        "attendance_form": AttendanceForm(
            data if bound == "attendance" else None,
            prefix="attendance",
            action=action("attendance"),
        ),
    }


def _render_referral(request, referral, *, data=None, bound="", status=200):
    access_log_write(actor=request.user, action=AccessAction.VIEW, obj=referral, path=request.path)
    context = {
        "referral": referral,
        "view": selectors.provider_view(referral),
        "register": selectors.attendance_register(referral),
        "moves": selectors.provider_moves(referral),
        **_forms_for(referral, data, bound),
    }
    if bound:
        context[f"{bound}_form"].is_valid()
        context["form"] = context[f"{bound}_form"]  # base.html prefixes the title with Error:
    return render(request, "referrals/inbox/referral.html", context, status=status)


@require_GET
@permission_required(Action.ANSWER_REFERRALS)
def inbox_referral(request, public_id):
    referral = selectors.referral_for_provider(request.user, public_id)
    return _render_referral(request, referral)


def _answer(request, public_id, name, form_class, act):
    """Validate one form, call one service; on a refused move show its message, change
    nothing, and go back to the page."""
    referral = selectors.referral_for_provider(request.user, public_id)
    options = (
        {"next_sessions": register_selectors.next_sessions(referral)} if name == "accept" else {}
    )
    form = form_class(request.POST, prefix=name, **options)
    if not form.is_valid():
        return _render_referral(request, referral, data=request.POST, bound=name)
    try:
        success = act(referral, form)
    except services.ReferralError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return redirect("referrals:inbox_referral", referral.public_id)


@require_POST
@permission_required(Action.ANSWER_REFERRALS)
def inbox_accept(request, public_id):
    def act(referral, form):
        services.referral_accept(
            referral=referral, by=request.user, first_session_at=form.first_session_at()
        )
        return f"Referral accepted. {referral.service_user.full_name}'s clinician can see it"

    return _answer(request, public_id, "accept", AcceptForm, act)


@require_POST
@permission_required(Action.ANSWER_REFERRALS)
def inbox_decline(request, public_id):
    def act(referral, form):
        services.referral_decline(
            referral=referral,
            by=request.user,
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
        )
        return "Referral declined. The clinician has been told"

    return _answer(request, public_id, "decline", DeclineForm, act)


@require_POST
@permission_required(Action.ANSWER_REFERRALS)
def inbox_attendance(request, public_id):
    def act(referral, form):
        attendance = services.attendance_record(
            referral=referral,
            session_date=form.cleaned_data["session_date"],
            status=form.cleaned_data["status"],
            by=request.user,
        )
        return (
            f"Recorded {attendance.get_status_display().lower()} "
            f"for {attendance.session_date:%-d %B %Y}"
        )

    return _answer(request, public_id, "attendance", AttendanceForm, act)


@require_POST
@permission_required(Action.ANSWER_REFERRALS)
def inbox_move(request, public_id):
    referral = selectors.referral_for_provider(request.user, public_id)
    form = MoveForm(request.POST)
    if not form.is_valid() or form.cleaned_data["to"] not in selectors.BUTTON_MOVES:
        return HttpResponseBadRequest("Choose a change to make")
    try:
        services.referral_move(
            referral=referral,
            to=form.cleaned_data["to"],
            by=request.user,
            expected_from=form.cleaned_data["expected_from"],
        )
    except services.ReferralError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Referral marked {S(form.cleaned_data['to']).label.lower()}")
    return redirect("referrals:inbox_referral", referral.public_id)


@login_not_required
@require_http_methods(["GET", "POST"])
def provider_link(request, token):
    """Accept or decline from the link in the provider's email, without signing in."""
    try:
        referral = links.referral_for_token(token)
    except links.LinkError as error:
        return render(
            request,
            "referrals/inbox/link_refused.html",
            {"message": str(error)},
            status=error.status,
        )
    decision = request.POST.get("decision") if request.method == "POST" else ""
    forms = {
        "accept_form": AcceptForm(
            request.POST if decision == "accept" else None,
            prefix="accept",
            action=request.path,
            next_sessions=register_selectors.next_sessions(referral),
        ),
        "decline_form": DeclineForm(
            request.POST if decision == "decline" else None, prefix="decline", action=request.path
        ),
    }
    if decision in ("accept", "decline") and forms[f"{decision}_form"].is_valid():
        form = forms[f"{decision}_form"]
        try:
            if decision == "accept":
                links.answer_by_link(
                    referral, to=S.ACCEPTED, first_session_at=form.first_session_at()
                )
            else:
                links.answer_by_link(
                    referral,
                    to=S.DECLINED,
                    note=form.cleaned_data["note"],
                    decline_reason=form.cleaned_data["reason"],
                )
        except services.ReferralError as error:
            return render(
                request, "referrals/inbox/link_refused.html", {"message": str(error)}, status=410
            )
        return render(
            request,
            "referrals/inbox/link_done.html",
            {"accepted": decision == "accept", "name": referral.service_user.full_name},
        )
    access_log_write(
        system_actor=links.LINK_ACTOR,
        action=AccessAction.VIEW,
        obj=referral,
        path=reverse("referrals:inbox"),  # never the token itself
    )
    return render(
        request,
        "referrals/inbox/link.html",
        {"view": selectors.provider_view(referral), **forms},
    )
