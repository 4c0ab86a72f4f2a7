"""Text replies: GOV.UK Notify's received-text-message callback, a clinician reading a
reply, and starting messages again after the service user asked."""

import json
from datetime import UTC

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from referrals.nudges import replies
from referrals.nudges.forms import RestartMessagesForm
from referrals.nudges.reply_selectors import unread_reply_for
from referrals.nudges.views import bearer_token_ok
from referrals.records.selectors import service_user_for
from talkingmoves.accounts.permissions import Action, permission_required
from talkingmoves.vocabulary.replies import MessagesChange


@csrf_exempt  # called by Notify's servers, authenticated by the bearer token instead
@login_not_required
@require_POST
def notify_replies_callback(request):
    if not bearer_token_ok(request, settings.NOTIFY_INBOUND_CALLBACK_TOKEN):
        return HttpResponse(status=401)
    try:
        payload = json.loads(request.body)
        notify_id = str(payload["id"] or "").strip()
        number = str(payload["source_number"] or "")
        message = payload.get("message") or ""
        received = payload.get("date_received") or ""
        if not notify_id or not isinstance(message, str) or not isinstance(received, str):
            raise ValueError
        received_at = parse_datetime(received) if received else None
    except (ValueError, KeyError, TypeError, AttributeError):
        return JsonResponse(
            {"error": "Expected JSON with id, source_number and message"}, status=400
        )
    if received_at is not None and received_at.tzinfo is None:
        received_at = received_at.replace(tzinfo=UTC)  # Notify sends UTC
    outcome = replies.text_reply_receive(
        notify_id=notify_id[:100], source_number=number, message=message, received_at=received_at
    )
    return JsonResponse({"outcome": outcome})


def _record(person) -> str:
    return reverse("referrals:record", kwargs={"public_id": person.public_id}) + "#messages"


@require_POST
@permission_required(Action.VIEW_SERVICE_USERS)
def reply_read(request, reply_id):
    reply = unread_reply_for(request.user, reply_id)
    if reply is None:
        raise Http404
    replies.text_reply_mark_read(reply=reply, by=request.user, path=request.path)
    messages.success(request, "Text reply marked as read")
    return redirect(_record(reply.service_user))


@require_http_methods(["GET", "POST"])
@permission_required(Action.MANAGE_REFERRALS)
def restart_messages(request, public_id):
    person = service_user_for(request.user, public_id)
    if person.erased_at is not None:
        raise Http404
    form = RestartMessagesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            replies.messages_restart(
                person=person,
                by=request.user,
                consent_note=form.cleaned_data["consent_note"],
                path=request.path,
            )
        except replies.RestartError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, MessagesChange.RESTARTED.label)
            return redirect(_record(person))
    return render(
        request,
        "nudges/restart_messages.html",
        {"form": form, "person": person, "stopped": person.nudges_stopped_at is not None},
    )
