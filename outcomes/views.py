"""Clinicians' outcome pages (episodes, appointments, measures, risk-flag reviews) and the
public self-completion page. Views parse a form, call one service and respond; every page
that shows a service user writes the access log."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from outcomes import links, presenters, selectors, services
from outcomes.forms import (
    ActivityForm,
    AppointmentForm,
    EpisodeEndForm,
    EpisodeOpenForm,
    QuestionnaireForm,
    RiskFlagReviewForm,
    SelfCompletionForm,
    WSASForm,
)
from outcomes.models import Measure, OutcomeSettings

if TYPE_CHECKING:
    from referrals.models import ServiceUser
from referrals.records.selectors import service_user_for
from talkingmoves.accounts.permissions import Action, permission_required
from talkingmoves.audit.actions import AccessAction
from talkingmoves.audit.services import access_log_write
from talkingmoves.core.ratelimit import link_rate_limited

K = Measure.Kind
MEASURE_PAGES = {
    "phq9": "Record PHQ-9",
    "gad7": "Record GAD-7",
    "wsas": "Record WSAS (work and social adjustment)",
    "activity": "Record physical activity",
}


def _log_view(request, person: ServiceUser) -> None:
    access_log_write(actor=request.user, action=AccessAction.VIEW, obj=person, path=request.path)


def _record_url(person: ServiceUser) -> str:
    return reverse("referrals:record", kwargs={"public_id": person.public_id}) + "#outcomes"


def _refuse(form, error: services.OutcomeError) -> None:
    form.add_error(error.field if error.field in form.fields else None, str(error))


def _page(request, template, context, *, form, person):
    """Render a form page; on first showing (GET) log that the person was looked at."""
    if request.method == "GET":
        _log_view(request, person)
    return render(request, template, {"form": form, "person": person, **context})


@require_http_methods(["GET", "POST"])
@permission_required(Action.VIEW_SERVICE_USERS)
def episode_open(request, public_id):
    person = service_user_for(request.user, public_id)
    form = EpisodeOpenForm(request.POST or None, initial={"step": person.step})
    if request.method == "POST" and form.is_valid():
        try:
            services.episode_open(
                service_user=person, by=request.user, path=request.path, **form.cleaned_data
            )
        except services.OutcomeError as error:
            _refuse(form, error)
        else:
            messages.success(request, "Episode started")
            return redirect(_record_url(person))
    return _page(request, "outcomes/episode_open.html", {}, form=form, person=person)


@require_http_methods(["GET", "POST"])
@permission_required(Action.VIEW_SERVICE_USERS)
def episode_end(request, episode_id):
    episode = selectors.episode_for(request.user, episode_id)
    person = episode.service_user
    if not episode.is_open:
        messages.info(request, "This episode has already ended")
        return redirect(_record_url(person))
    form = EpisodeEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.episode_end(
                episode=episode, by=request.user, path=request.path, **form.cleaned_data
            )
        except services.OutcomeError as error:
            _refuse(form, error)
        else:
            messages.success(request, "Episode ended")
            return redirect(_record_url(person))
    return _page(
        request, "outcomes/episode_end.html", {"episode": episode}, form=form, person=person
    )


@require_http_methods(["GET", "POST"])
@permission_required(Action.VIEW_SERVICE_USERS)
def episode_reopen(request, episode_id):
    """Undo an ending (a confirmation page, then a POST), so later answers can be recorded."""
    episode = selectors.episode_for(request.user, episode_id)
    person = episode.service_user
    if episode.is_open:
        messages.info(request, "This episode is already open")
        return redirect(_record_url(person))
    if request.method == "POST":
        try:
            services.episode_reopen(episode=episode, by=request.user, path=request.path)
        except services.OutcomeError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Episode reopened")
        return redirect(_record_url(person))
    _log_view(request, person)
    return render(request, "outcomes/episode_reopen.html", {"episode": episode, "person": person})


@require_http_methods(["GET", "POST"])
@permission_required(Action.VIEW_SERVICE_USERS)
def appointment_record(request, episode_id):
    episode = selectors.episode_for(request.user, episode_id)
    person = episode.service_user
    form = AppointmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.appointment_record(
                episode=episode, by=request.user, path=request.path, **form.cleaned_data
            )
        except services.OutcomeError as error:
            _refuse(form, error)
        else:
            messages.success(request, "Appointment saved")
            return redirect(_record_url(person))
    return _page(
        request, "outcomes/appointment_form.html", {"episode": episode}, form=form, person=person
    )


def _measure_form(which: str, data):
    if which in (K.PHQ9, K.GAD7):
        return QuestionnaireForm(data, kind=which)
    if which == "wsas":
        return WSASForm(data)
    if which == "activity":
        return ActivityForm(data)
    raise Http404


def _save_measure(request, episode, which, form) -> Measure:
    common = {
        "episode": episode,
        "by": request.user,
        "path": request.path,
        "replace": form.replace,
    }
    taken_on = form.cleaned_data["taken_on"]
    if which == "activity":
        return services.activity_record(
            taken_on=taken_on,
            days=int(form.cleaned_data["days"]),
            moderate_minutes=form.cleaned_data["moderate_minutes"],
            vigorous_minutes=form.cleaned_data["vigorous_minutes"],
            **common,
        )[-1]
    return services.measure_record(kind=which, taken_on=taken_on, answers=form.answers(), **common)


@require_http_methods(["GET", "POST"])
@permission_required(Action.VIEW_SERVICE_USERS)
def measure_record(request, episode_id, which):
    if which not in MEASURE_PAGES:
        raise Http404
    episode = selectors.episode_for(request.user, episode_id)
    person = episode.service_user
    form = _measure_form(which, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            measure = _save_measure(request, episode, which, form)
        except services.OutcomeError as error:
            _refuse(form, error)
            if isinstance(error, services.DuplicateMeasure):
                form.offer_replace()
        else:
            messages.success(request, "Saved")
            return redirect("outcomes:measure_detail", measure_id=measure.public_id)
    return _page(
        request,
        "outcomes/measure_form.html",
        {"episode": episode, "title": MEASURE_PAGES[which], "stem": getattr(form, "stem", "")},
        form=form,
        person=person,
    )


@require_GET
@permission_required(Action.VIEW_SERVICE_USERS)
def measure_detail(request, measure_id):
    """What was saved: the total and band are shown here, never typed and never flashed."""
    measure = selectors.measure_for(request.user, measure_id)
    person = measure.episode.service_user
    _log_view(request, person)
    return render(
        request,
        "outcomes/measure_detail.html",
        {
            "person": person,
            "row": presenters.measure_row(measure),
            "answers": presenters.measure_answers(measure),
            "risk": measure.kind == K.PHQ9 and measure.item_9 >= 1,
        },
    )


@require_POST
@permission_required(Action.VIEW_SERVICE_USERS)
def measure_request_create(request, episode_id):
    episode = selectors.episode_for(request.user, episode_id)
    try:
        services.measure_request_create(episode=episode, by=request.user, path=request.path)
    except services.OutcomeError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Questionnaire link sent")
    return redirect(_record_url(episode.service_user))


@require_http_methods(["GET", "POST"])
@permission_required(Action.VIEW_SERVICE_USERS)
def risk_flag_review(request, flag_id):
    flag = selectors.risk_flag_for(request.user, flag_id)
    person = flag.service_user
    if not flag.is_open:
        messages.info(request, "This has already been reviewed")
        return redirect(_record_url(person))
    form = RiskFlagReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.risk_flag_review(
                flag=flag, note=form.cleaned_data["note"], by=request.user, path=request.path
            )
        except services.OutcomeError as error:
            _refuse(form, error)
        else:
            messages.success(request, "Review saved")
            return redirect(_record_url(person))
    return _page(
        request,
        "outcomes/risk_flag_review.html",
        {"flag": flag, "row": presenters.measure_row(flag.measure)},
        form=form,
        person=person,
    )


# --- Public self-completion ----------------------------------------------------------------


def _rate_limited(request, token: str) -> bool:
    return link_rate_limited(
        request,
        scope="outcomes:self-complete",
        token=token,
        limit=settings.SELF_COMPLETION_RATE_LIMIT,
    )


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def self_complete(request, token):
    """A service user answers their questions from the link they were sent. Nothing clinical
    is shown beyond the questions; nothing about them is shown at all."""
    if _rate_limited(request, token):
        return render(
            request,
            "outcomes/self_complete_refused.html",
            {"message": "Too many attempts. Wait 10 minutes and try again"},
            status=429,
        )
    try:
        measure_request = links.measure_request_for_token(token)
    except links.LinkError as error:
        if error.status == 404:
            raise Http404 from None
        return render(
            request,
            "outcomes/self_complete_refused.html",
            {"message": str(error)},
            status=error.status,
        )
    # Already answered today (by them or with their practitioner): said before they start.
    # Only then: answers already typed go to the service, which never turns a risk away.
    refusal = services.measure_request_refusal(measure_request) if request.method == "GET" else ""
    if refusal:
        return render(
            request, "outcomes/self_complete_refused.html", {"message": refusal}, status=409
        )
    form = SelfCompletionForm(request.POST or None, kinds=measure_request.kinds)
    if request.method == "POST" and form.is_valid():
        try:
            _measures, flagged = services.measure_request_complete(
                request=measure_request, answers=form.answers()
            )
        except services.OutcomeError as error:
            return render(
                request, "outcomes/self_complete_refused.html", {"message": str(error)}, status=410
            )
        crisis = (
            OutcomeSettings.for_service(measure_request.episode.service_id).crisis_support_lines
            if flagged
            else []
        )
        return render(request, "outcomes/self_complete_done.html", {"crisis": crisis})
    return render(request, "outcomes/self_complete.html", {"form": form})
