"""The clinician's plan pages (the conversation, the plan form, the plan, send and print) and
the person's own page from the link they were sent (with an easy-read version)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from outcomes.plans import links, presenters, rules, selectors, services
from outcomes.plans.forms import CheckInForm, ConversationForm, PlanForm
from outcomes.plans.models import PlanActivity
from outcomes.services.common import OutcomeError
from referrals.records.selectors import service_user_for
from talkingmoves.accounts.permissions import Action, permission_required
from talkingmoves.audit.actions import AccessAction
from talkingmoves.audit.services import access_log_write
from talkingmoves.core.ratelimit import link_rate_limited


def _log_view(request, person) -> None:
    access_log_write(actor=request.user, action=AccessAction.VIEW, obj=person, path=request.path)


def _section_url(person) -> str:
    return reverse("referrals:record", kwargs={"public_id": person.public_id}) + "#being-active"


def _refuse(form, error: OutcomeError) -> None:
    form.add_error(error.field if error.field in form.fields else None, str(error))


@require_http_methods(["GET", "POST"])
@permission_required(Action.VIEW_SERVICE_USERS)
def conversation(request, public_id):
    person = service_user_for(request.user, public_id)
    last = selectors.latest_conversation(person)
    initial = {"enjoys": person.interests, "barriers": person.barriers}
    if last is not None:
        initial.update(confidence=last.confidence, readiness=last.readiness, support=last.support)
    form = ConversationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.conversation_record(
                service_user=person, by=request.user, path=request.path, **form.cleaned_data
            )
        except OutcomeError as error:
            _refuse(form, error)
        else:
            messages.success(
                request, "Conversation saved. Their interests and barriers are updated"
            )
            return redirect(_section_url(person))
    if request.method == "GET":
        _log_view(request, person)
    return render(
        request, "outcomes/plans/conversation.html", {"form": form, "person": person, "last": last}
    )


def _initial_plan(person) -> dict:
    """A change starts from the current plan; a first plan from small steps to 150 minutes,
    or to the gentle limit while PAR-Q+ advice is not settled."""
    current = selectors.current_plan(person)
    if current is not None:
        steps = [rules.Step(s.week, s.minutes_a_day, s.days) for s in current.steps.all()]
        return PlanForm.initial_from(
            steps,
            activity=current.activity,
            description=current.description,
            target_minutes=current.target_minutes,
            referral=str(current.referral_id or ""),
        )
    gentle = rules.screening_needs_gentle_plan(selectors.newest_screening(person))
    target = rules.GENTLE_WEEKLY_LIMIT if gentle else 150
    measures = selectors.weekly_minutes_measures(person)
    start = measures[-1][1] if measures else None
    steps = rules.suggested_steps(start_minutes=start, target=target)
    return PlanForm.initial_from(steps, activity=PlanActivity.WALKING, target_minutes=target)


@require_http_methods(["GET", "POST"])
@permission_required(Action.VIEW_SERVICE_USERS)
def plan_new(request, public_id):
    person = service_user_for(request.user, public_id)
    choices = selectors.plan_referral_choices(person)
    form = PlanForm(
        request.POST or None,
        initial=_initial_plan(person) if request.method == "GET" else None,
        referral_choices=choices,
    )
    if request.method == "POST" and form.is_valid():
        referral_id = form.cleaned_data["referral"]
        try:
            plan = services.plan_create(
                service_user=person,
                by=request.user,
                activity=form.cleaned_data["activity"],
                description=form.cleaned_data["description"],
                target_minutes=form.cleaned_data["target_minutes"],
                steps=form.steps(),
                referral=selectors.referral_for_plan(person, referral_id) if referral_id else None,
                conversation=selectors.latest_conversation(person),
                path=request.path,
            )
        except OutcomeError as error:
            _refuse(form, error)
        else:
            messages.success(request, "Plan saved. Check it, then send or print it")
            return redirect("outcomes:plan_detail", plan_id=plan.public_id)
    if request.method == "GET":
        _log_view(request, person)
    return render(request, "outcomes/plans/plan_form.html", {"form": form, "person": person})


@require_GET
@permission_required(Action.VIEW_SERVICE_USERS)
def plan_detail(request, plan_id):
    plan = selectors.plan_for(request.user, plan_id)
    _log_view(request, plan.service_user)
    blockers = services.send_blockers(plan) if plan.status == plan.Status.DRAFT else []
    rows = presenters.week_rows(plan)
    return render(
        request,
        "outcomes/plans/plan_detail.html",
        {
            "plan": plan,
            "person": plan.service_user,
            "rows": rows,
            "chart": presenters.chart(rows),
            "blockers": blockers,
        },
    )


@require_POST
@permission_required(Action.VIEW_SERVICE_USERS)
def plan_send(request, plan_id):
    plan = selectors.plan_for(request.user, plan_id)
    try:
        services.plan_send(plan=plan, by=request.user, path=request.path)
    except OutcomeError as error:
        messages.error(request, str(error))
        return redirect("outcomes:plan_detail", plan_id=plan.public_id)
    messages.success(request, "Plan sent. It goes by their chosen way of contact")
    return redirect(_section_url(plan.service_user))


@require_GET
@permission_required(Action.VIEW_SERVICE_USERS)
def plan_print(request, plan_id):
    """The person's page to print in clinic: the same words they see, nothing clinical."""
    plan = selectors.plan_for(request.user, plan_id)
    _log_view(request, plan.service_user)
    easy_read = request.GET.get("version") == "easy-read"
    return render(
        request,
        "outcomes/plans/easy_read.html" if easy_read else "outcomes/plans/print.html",
        {**presenters.person_page(plan), "printing": True},
    )


# --- The person's own page ----------------------------------------------------------------


def _open(request, token):
    """(plan, None) for a usable link, or (None, response) saying why not."""
    if link_rate_limited(
        request, scope="outcomes:plan-page", token=token, limit=settings.SELF_COMPLETION_RATE_LIMIT
    ):
        message = "Too many attempts. Wait 10 minutes and try again"
        return None, render(
            request, "outcomes/plans/refused.html", {"message": message}, status=429
        )
    try:
        return links.plan_for_token(token), None
    except links.LinkError as error:
        if error.status == 404:
            raise Http404 from None
        return None, render(
            request, "outcomes/plans/refused.html", {"message": str(error)}, status=error.status
        )


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def plan_page(request, token):
    plan, refused = _open(request, token)
    if refused:
        return refused
    page = presenters.person_page(plan)
    week = presenters.asked_week(request.GET.get("week", ""), week_now=page["week_now"])
    form = CheckInForm(request.POST or None, weeks=page["week_now"], initial={"week": week})
    if request.method == "POST" and form.is_valid():
        try:
            services.check_in_record(plan=plan, **form.cleaned_data)
        except OutcomeError as error:
            _refuse(form, error)
        else:
            messages.success(request, "Thank you. Your week is saved")
            return redirect(request.path)
    return render(request, "outcomes/plans/page.html", {**page, "form": form, "token": token})


@login_not_required
@never_cache
@require_GET
def plan_easy_read(request, token):
    plan, refused = _open(request, token)
    if refused:
        return refused
    return render(
        request, "outcomes/plans/easy_read.html", {**presenters.person_page(plan), "token": token}
    )
