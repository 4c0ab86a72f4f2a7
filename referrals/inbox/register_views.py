"""The provider's session register: pick an activity and a session from its schedule, then
mark everyone accepted on it in one POST (POST-redirect-GET)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from referrals.inbox import register_selectors as selectors
from referrals.inbox.register_forms import RegisterForm
from referrals.pathway.register_services import register_record
from referrals.pathway.services import ReferralError
from talkingmoves.accounts.permissions import Action, permission_required
from talkingmoves.audit.actions import AccessAction
from talkingmoves.audit.services import access_log_write_many


@require_GET
@permission_required(Action.ANSWER_REFERRALS)
def register(request):
    activities = [
        {
            "activity": activity,
            "sessions": [
                {"on": s.on, "label": selectors.session_label(s)}
                for s in selectors.past_sessions(activity)[: selectors.SESSIONS_LISTED]
            ],
        }
        for activity in selectors.register_activities(request.user)
    ]
    return render(request, "referrals/inbox/register.html", {"activities": activities})


@require_http_methods(["GET", "POST"])
@permission_required(Action.ANSWER_REFERRALS)
def register_session(request, activity_id, session_date):
    activity = selectors.activity_for_register(request.user, activity_id)
    session = selectors.session_on(activity, session_date)
    rows = selectors.register_rows(request.user, activity, session.on)
    data = request.POST if request.method == "POST" else None
    form = RegisterForm(data, rows=rows, session_date=session.on)
    if data is not None and form.is_valid():
        try:
            count = register_record(marks=form.marks(), session_date=session.on, by=request.user)
        except ReferralError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                f"Register saved: {count} {'change' if count == 1 else 'changes'} recorded",
            )
            return redirect(request.path)
    access_log_write_many(
        action=AccessAction.VIEW,
        objects=[row.referral for row in rows],
        actor=request.user,
        path=request.path,
    )
    return render(
        request,
        "referrals/inbox/register_session.html",
        {
            "activity": activity,
            "session_label": selectors.session_label(session),
            "rows": rows,
            "form": form,
        },
    )
