"""Risk alert pages: acknowledging an alert (clinicians and leads of the person's service)
and the service's risk alert settings (service leads)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from outcomes import selectors, services
from outcomes.forms import RiskSettingsForm
from talkingmoves.accounts.permissions import Action, permission_required


@require_POST
@permission_required(Action.VIEW_SERVICE_USERS)
def risk_alert_acknowledge(request, alert_id):
    """One click: "I have this". Back to the home page or the record, whichever it came from."""
    alert = selectors.risk_alert_for(request.user, alert_id)
    person = alert.flag.service_user
    try:
        services.risk_alert_acknowledge(alert=alert, by=request.user, path=request.path)
    except services.OutcomeError as error:
        messages.info(request, str(error))
    else:
        messages.success(request, "Alert acknowledged. The flag stays open until its review")
    if request.POST.get("back") == "home":
        return redirect("core:home")
    return redirect(reverse("referrals:record", args=[person.public_id]) + "#risk-flags")


@require_http_methods(["GET", "POST"])
@permission_required(Action.MANAGE_SERVICE_SETTINGS)
def risk_settings(request):
    current = selectors.outcome_settings(request.user.organisation_id)
    form = RiskSettingsForm(
        request.POST or None,
        initial={
            "duty_contact_email": current.duty_contact_email,
            "escalation_working_hours": current.escalation_working_hours,
            "message_sender_name": current.message_sender_name,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.risk_settings_save(by=request.user, path=request.path, **form.cleaned_data)
        except services.OutcomeError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            messages.success(request, "Risk alert settings saved")
            return redirect("outcomes:risk_settings")
    return render(
        request,
        "outcomes/risk_settings.html",
        {"form": form, "has_duty_contact": current.has_duty_contact},
    )
