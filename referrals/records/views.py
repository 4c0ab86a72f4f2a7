"""Clinicians' pages for the people in their service: caseload, record, details, consents and
PAR-Q+ screening. People are looked up only through the organisation scope (others: 404)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from referrals import hooks
from referrals.models import ServiceUser
from referrals.records import presenters
from referrals.records import selectors as record_selectors
from referrals.records import services as record_services
from referrals.records.caseload_pages import caseload_pages
from referrals.records.forms import (
    CaseloadFilterForm,
    ScreeningForm,
    ScreeningResolveForm,
    ServiceUserForm,
)
from referrals.shortlists import selectors as shortlist_selectors
from referrals.worklist import selectors as worklist_selectors
from talkingmoves.accounts.permissions import Action, can, permission_required
from talkingmoves.accounts.roles import Role
from talkingmoves.accounts.scoping import get_for_user_or_404
from talkingmoves.audit.actions import AccessAction
from talkingmoves.audit.services import access_log_write

PEOPLE_PER_PAGE = 25


def _person_or_404(request, public_id, queryset=None) -> ServiceUser:
    source = ServiceUser if queryset is None else queryset
    return get_for_user_or_404(request.user, source, public_id=public_id)


def _log_view(request, person: ServiceUser) -> None:
    access_log_write(actor=request.user, action=AccessAction.VIEW, obj=person, path=request.path)


def person_url(person: ServiceUser) -> str:
    return reverse("referrals:record", kwargs={"public_id": person.public_id})


@require_GET
@permission_required(Action.VIEW_SERVICE_USERS)
def caseload(request):
    # A clinician starts with their own people; a lead with the whole service.
    default = request.user if request.user.role == Role.CLINICIAN else None
    default_choice = str(default.public_id) if default else CaseloadFilterForm.EVERYONE
    data = request.GET.copy() if request.GET else None
    if data is not None:
        # A search box or page link without a clinician keeps (and shows) the default.
        data.setdefault("clinician", default_choice)
    form = CaseloadFilterForm(
        data, initial={"clinician": default_choice}, service_id=request.user.organisation_id
    )
    filters = form.cleaned_data if form.is_valid() else {}
    default_id = default.pk if default else None
    chosen = form.chosen_clinician_id(default_id) if filters else default_id
    people = caseload_pages(
        request.user, clinician=chosen, show=filters.get("show", ""), q=filters.get("q", "")
    )
    page = Paginator(people, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "referrals/records/caseload.html",
        {
            "form": form,
            "page": page,
            "rows": [presenters.caseload_row(person) for person in page],
            "mine": chosen == request.user.pk,
            "query_string": query.urlencode(),
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required(Action.VIEW_SERVICE_USERS)
def service_user_add(request):
    service = request.user.organisation
    form = ServiceUserForm(
        request.POST or None, service=service, initial={"assigned_clinician": request.user.pk}
    )
    if request.method == "POST" and form.is_valid():
        person = record_services.service_user_create(
            service=service, by=request.user, data=form.record_data(), path=request.path
        )
        messages.success(request, f"{person.full_name} added")
        return redirect("referrals:record", public_id=person.public_id)
    return render(request, "referrals/records/service_user_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@permission_required(Action.VIEW_SERVICE_USERS)
def service_user_edit(request, public_id):
    person = _person_or_404(request, public_id)
    form = ServiceUserForm(request.POST or None, instance=person, service=person.service)
    if request.method == "POST" and form.is_valid():
        record_services.service_user_update(
            service_user=person, by=request.user, data=form.record_data(), path=request.path
        )
        messages.success(request, "Details saved")
        return redirect("referrals:record", public_id=person.public_id)
    if request.method == "GET":
        _log_view(request, person)
    return render(
        request, "referrals/records/service_user_form.html", {"form": form, "person": person}
    )


@require_GET
@permission_required(Action.VIEW_SERVICE_USERS)
def record(request, public_id):
    person = _person_or_404(request, public_id)
    access_log_write(actor=request.user, action=AccessAction.VIEW, obj=person, path=request.path)
    screenings = record_selectors.screenings_for_record(person)
    names = record_selectors.record_user_names(person, request.user, screenings)
    referrals = record_selectors.referrals_for_record(person)
    timeline = [presenters.referral_timeline(r) for r in referrals]
    attention = record_selectors.attention_reasons(referrals, screenings)
    return render(
        request,
        "referrals/records/record.html",
        {
            "person": person,
            "details": presenters.details(person, names),
            "consents": presenters.consents(
                person, names, withdrawn=record_selectors.consent_withdrawals(person)
            ),
            "screenings": [presenters.screening_summary(s, names) for s in screenings],
            "guidance": record_selectors.red_flag_guidance(person.service_id)
            if screenings
            else None,
            "timeline": timeline,
            "attention": attention,
            "summary": presenters.record_summary(timeline, attention),
            "record_sections": presenters.RECORD_SECTIONS,
            "open_tasks": worklist_selectors.open_tasks_for_person(person),
            "shortlist": shortlist_selectors.shortlist_for_record(person),
            "find_url": presenters.optional_url("referrals:find_for", person.public_id),
            "may_manage_data_rights": can(request.user, Action.MANAGE_DATA_RIGHTS),
            # Messages (nudges) and outcomes add their sections.
            **hooks.record_sections.merged(person=person),
        },
    )


@require_POST
@permission_required(Action.VIEW_SERVICE_USERS)
def consent(request, public_id, consent, change):
    person = _person_or_404(request, public_id)
    try:
        which = record_services.Consent(consent)
    except ValueError:
        raise Http404 from None
    label = record_services.CONSENT_LABELS[which]
    if change == "withdraw":
        record_services.consent_withdraw(
            service_user=person, consent=which, by=request.user, path=request.path
        )
        messages.success(request, f"Consent to {label} withdrawn")
    elif change == "record":
        try:
            record_services.consent_record(
                service_user=person, consent=which, by=request.user, path=request.path
            )
        except record_services.ConsentError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Consent to {label} recorded")
    else:
        raise Http404
    return redirect(f"{person_url(person)}#consent")


@require_http_methods(["GET", "POST"])
@permission_required(Action.VIEW_SERVICE_USERS)
def screening_add(request, public_id):
    person = _person_or_404(request, public_id)
    form = ScreeningForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        screening = record_services.screening_record(
            service_user=person, answers=form.answers(), by=request.user, path=request.path
        )
        messages.success(request, f"PAR-Q+ screening saved: {screening.get_outcome_display()}")
        return redirect(f"{person_url(person)}#screening")
    if request.method == "GET":
        _log_view(request, person)
    return render(
        request,
        "referrals/records/screening_form.html",
        {
            "form": form,
            "person": person,
            "guidance": record_selectors.red_flag_guidance(person.service_id),
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required(Action.VIEW_SERVICE_USERS)
def screening_resolve(request, public_id, screening_id):
    person = _person_or_404(request, public_id)
    screening = get_object_or_404(person.screenings, public_id=screening_id)
    if not screening.needs_resolution:
        messages.info(request, "This screening does not need anything more")
        return redirect(f"{person_url(person)}#screening")
    form = ScreeningResolveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record_services.screening_resolve(
                screening=screening,
                resolution=form.cleaned_data["resolution"],
                note=form.cleaned_data["note"],
                by=request.user,
                path=request.path,
            )
        except record_services.ScreeningError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "What was agreed about the screening is saved")
            return redirect(f"{person_url(person)}#screening")
    if request.method == "GET":
        _log_view(request, person)
    return render(
        request,
        "referrals/records/screening_resolve.html",
        {
            "form": form,
            "person": person,
            "screening": presenters.screening_summary(screening),
            "guidance": record_selectors.red_flag_guidance(person.service_id),
        },
    )
