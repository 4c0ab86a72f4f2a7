"""Staff pages for follow-up messages: counts and failures (leads and admins), the schedule
(leads), the local outbox, and marking a call request done (clinicians and leads)."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from referrals.nudges import answers, schedule, selectors
from referrals.nudges.forms import PeriodForm, ScheduleForm
from referrals.nudges.hooks import service_user_messages_blocker
from referrals.nudges.schedule_settings import ScheduleError, nudge_settings_save
from referrals.nudges.services import NudgeError, nudge_retry, nudge_to_service_user
from referrals.shortlists.selectors import person_for, shortlist_for
from talkingmoves.accounts.permissions import Action, permission_required
from talkingmoves.audit.actions import AccessAction
from talkingmoves.audit.services import access_log_write, access_log_write_many

OUTBOX_PAGE_SIZE = 25
DEFAULT_DAYS = "30"


@require_GET
@permission_required(Action.VIEW_OUTBOX)
def messages_page(request):
    form = PeriodForm(request.GET if "days" in request.GET else {"days": DEFAULT_DAYS})
    days = int(form.cleaned_data["days"]) if form.is_valid() else int(DEFAULT_DAYS)
    return render(
        request,
        "nudges/messages.html",
        {
            "form": form,
            "days": days,
            "counts": selectors.template_counts(request.user, days=days),
            "failed": selectors.failed_nudges(request.user),
            "all_services": request.user.is_superuser,
            "outbox": not settings.NOTIFY_API_KEY,
            "blocked": ""
            if request.user.is_superuser
            else service_user_messages_blocker(request.user.organisation_id),
        },
    )


@require_POST
@permission_required(Action.VIEW_OUTBOX)
def retry(request, nudge_id):
    nudge = selectors.failed_nudge_for(request.user, nudge_id)
    if nudge is None:
        raise Http404
    try:
        nudge_retry(nudge=nudge)
    except NudgeError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{selectors.template_title(nudge.template)}: sending again")
    return redirect("nudges:messages")


@require_http_methods(["GET", "POST"])
@permission_required(Action.MANAGE_SERVICE_SETTINGS)
def schedule_page(request):
    service = request.user.organisation
    form = ScheduleForm(
        request.POST if request.method == "POST" else None,
        current=schedule.effective_settings(service.pk),
    )
    if request.method == "POST" and form.is_valid():
        try:
            nudge_settings_save(service=service, by=request.user, values=form.values())
        except ScheduleError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Message schedule saved")
            return redirect("nudges:schedule")
    return render(
        request,
        "nudges/schedule.html",
        {"form": form, "blocked": service_user_messages_blocker(service.pk)},
    )


@require_GET
@permission_required(Action.VIEW_OUTBOX)
def outbox(request):
    # Only the local gateway keeps messages; with Notify in use there is nothing here.
    if settings.NOTIFY_API_KEY:
        raise Http404
    page = Paginator(selectors.outbox_messages(request.user), OUTBOX_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    stored = list(page.object_list)
    people = selectors.service_users_in(stored)
    if people:
        access_log_write_many(
            action=AccessAction.VIEW, objects=people, actor=request.user, path=request.path
        )
    return render(
        request,
        "nudges/outbox.html",
        {
            "page": page,
            "rows": selectors.outbox_rows(stored, show_links=request.user.is_superuser),
            "query_string": "",
        },
    )


@require_POST
@permission_required(Action.VIEW_SERVICE_USERS)
def call_request_done(request, nudge_id):
    call_request = selectors.open_call_request_for(request.user, nudge_id)
    if call_request is None:
        raise Http404
    answers.call_request_done(call_request=call_request, by=request.user, path=request.path)
    messages.success(request, "Call request marked as done")
    record = reverse("referrals:record", kwargs={"public_id": call_request.service_user.public_id})
    return redirect(f"{record}#messages")


@require_POST
@permission_required(Action.MANAGE_REFERRALS)
def shortlist_send(request, public_id):
    """Send the record's shortlist as a link, by the person's preferred channel. Consent,
    stop and quiet hours are checked when it is sent, like every message."""
    person = person_for(request.user, public_id)
    record = reverse("referrals:record", args=[person.public_id]) + "#shortlist"
    if not shortlist_for(person).exists():
        messages.error(request, "Add an activity to the shortlist before sending it")
        return redirect(record)
    nudge_to_service_user(service_user=person, template="shortlist")
    access_log_write(actor=request.user, action=AccessAction.UPDATE, obj=person, path=request.path)
    messages.success(
        request,
        f"The list will be sent to {person.given_name}. It shows under Messages once sent",
    )
    return redirect(record)
