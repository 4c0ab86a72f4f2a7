import json

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET, require_http_methods

from referrals.data_rights.services import (
    ErasureRefused,
    service_user_erase,
    service_user_export,
)
from referrals.models import ServiceUser
from talkingmoves.accounts.permissions import Action, permission_required
from talkingmoves.accounts.scoping import get_for_user_or_404
from talkingmoves.forms.base import NHSForm


class EraseForm(NHSForm):
    submit_text = "Erase personal data"

    confirm = forms.BooleanField(
        label="I understand this cannot be undone",
        error_messages={"required": "Confirm that you understand erasing cannot be undone"},
    )


@require_GET
@permission_required(Action.MANAGE_DATA_RIGHTS)
def export(request, public_id):
    person = get_for_user_or_404(request.user, ServiceUser, public_id=public_id)
    data = service_user_export(service_user=person, by=request.user)
    if request.GET.get("format") == "json":
        response = HttpResponse(
            json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
        )
        response["Content-Disposition"] = (
            f'attachment; filename="subject-access-{person.public_id}.json"'
        )
        return response
    return render(request, "referrals/data_rights/export.html", {"person": person, "data": data})


@require_http_methods(["GET", "POST"])
@permission_required(Action.MANAGE_DATA_RIGHTS)
def erase(request, public_id):
    person = get_for_user_or_404(request.user, ServiceUser, public_id=public_id)
    form = EraseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            service_user_erase(service_user=person, by=request.user)
        except ErasureRefused as refused:
            form.add_error(None, str(refused))
            return render(
                request, "referrals/data_rights/erase.html", {"person": person, "form": form}
            )
        messages.success(request, "Personal data erased. Referral counts are kept for statistics")
        try:
            return redirect(reverse("referrals:caseload"))
        except NoReverseMatch:
            return redirect("core:home")
    return render(request, "referrals/data_rights/erase.html", {"person": person, "form": form})
