"""Directory pages for the people who keep listings current (partnership and provider staff,
and service leads for in-house offers). Clinicians' search is in search_views.py."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from talkingmoves.accounts.permissions import Action, can, permission_required, require
from talkingmoves.accounts.roles import Role
from talkingmoves.accounts.scoping import get_for_user_or_404

from . import presenters, selectors, services
from .forms import ActivityForm, ListingFilterForm, ProviderForm, VenueForm
from .models import Activity, Provider, Venue
from .scopes import editable

LISTINGS_PER_PAGE = 50
_ANY = "00000000-0000-0000-0000-000000000000"
KINDS = {"provider": Provider, "venue": Venue, "activity": Activity}


def _require_directory_reader(user):
    if not (can(user, Action.MANAGE_DIRECTORY) or can(user, Action.SEARCH_DIRECTORY)):
        raise PermissionDenied


def _may_edit(user, listing) -> bool:
    return editable(user, type(listing)).filter(pk=listing.pk).exists()


def _editable_or_404(user, model, public_id):
    return get_object_or_404(editable(user, model), public_id=public_id)


@require_GET
@permission_required(Action.MANAGE_DIRECTORY)
def listing_list(request):
    form = ListingFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = selectors.activities_page(
        request.user, filters=filters, params=request.GET, per_page=LISTINGS_PER_PAGE
    )
    # One reverse() for the page's 50 links, each with its activity's id in place of _ANY.
    detail = reverse("providers:activity_detail", args=[_ANY])
    rows = [
        presenters.listing_row(activity, detail.replace(_ANY, str(activity.public_id)))
        for activity in page
    ]
    return render(
        request,
        "providers/list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "counts": selectors.listing_counts(request.user),
            "may_create_provider": request.user.role != Role.PROVIDER_STAFF,
        },
    )


@require_GET
@permission_required(Action.MANAGE_DIRECTORY)
def provider_list(request):
    archived = request.GET.get("archived") == "1"
    providers = selectors.providers_to_manage(request.user, archived=archived)
    page = Paginator(providers, LISTINGS_PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        {"provider": p, "tag": presenters.status_tag(p), "checked": presenters.last_checked_text(p)}
        for p in page
    ]
    return render(
        request,
        "providers/provider_list.html",
        {
            "page": page,
            "rows": rows,
            "archived": archived,
            "may_create_provider": request.user.role != Role.PROVIDER_STAFF,
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required(Action.MANAGE_DIRECTORY)
def provider_create(request):
    user = request.user
    if user.role == Role.PROVIDER_STAFF:
        raise PermissionDenied  # a provider's own listing is set up by its partnership
    provider = Provider()
    if user.role == Role.SERVICE_LEAD:
        provider.organisation = user.organisation  # an in-house offer
    else:
        provider.partnership = user.organisation
    form = ProviderForm(request.POST or None, instance=provider)
    if request.method == "POST" and form.is_valid():
        services.provider_save(provider=form.instance, by=user)
        messages.success(request, f"{provider.name} added")
        return redirect("providers:provider_detail", public_id=provider.public_id)
    return render(request, "providers/provider_form.html", {"form": form, "creating": True})


@require_GET
def provider_detail(request, public_id):
    _require_directory_reader(request.user)
    provider = get_for_user_or_404(request.user, Provider, public_id=public_id)
    return render(
        request,
        "providers/provider_detail.html",
        {
            "provider": provider,
            "may_edit": _may_edit(request.user, provider),
            "tag": presenters.status_tag(provider),
            "checked": presenters.last_checked_text(provider),
            "archived_together": _archived_together(provider),
            "venues": selectors.venues_of(provider),
            "activities": selectors.activities_of(provider),
            "history": selectors.history_of(provider),
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required(Action.MANAGE_DIRECTORY)
def provider_edit(request, public_id):
    provider = _editable_or_404(request.user, Provider, public_id)
    form = ProviderForm(request.POST or None, instance=provider)
    if request.method == "POST" and form.is_valid():
        services.provider_save(provider=form.instance, by=request.user)
        messages.success(request, "Provider details saved")
        return redirect("providers:provider_detail", public_id=provider.public_id)
    return render(request, "providers/provider_form.html", {"form": form, "provider": provider})


@require_http_methods(["GET", "POST"])
@permission_required(Action.MANAGE_DIRECTORY)
def venue_create(request, public_id):
    provider = _editable_or_404(request.user, Provider, public_id)
    form = VenueForm(request.POST or None, instance=Venue(provider=provider))
    if request.method == "POST" and form.is_valid():
        venue = services.venue_save(
            venue=form.instance, accessibility=form.cleaned_data["accessibility"], by=request.user
        )
        messages.success(request, f"{venue.name} added")
        return redirect("providers:provider_detail", public_id=provider.public_id)
    return render(
        request, "providers/venue_form.html", {"form": form, "provider": provider, "creating": True}
    )


@require_GET
def venue_detail(request, public_id):
    _require_directory_reader(request.user)
    venue = get_for_user_or_404(
        request.user, selectors.venue_detail_queryset(), public_id=public_id
    )
    return render(
        request,
        "providers/venue_detail.html",
        {
            "venue": venue,
            "may_edit": _may_edit(request.user, venue),
            "tag": presenters.status_tag(venue),
            "checked": presenters.last_checked_text(venue),
            "archived_together": _archived_together(venue),
            "history": selectors.history_of(venue),
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required(Action.MANAGE_DIRECTORY)
def venue_edit(request, public_id):
    venue = _editable_or_404(request.user, Venue, public_id)
    form = VenueForm(request.POST or None, instance=venue)
    if request.method == "POST" and form.is_valid():
        services.venue_save(
            venue=form.instance, accessibility=form.cleaned_data["accessibility"], by=request.user
        )
        messages.success(request, "Venue saved")
        return redirect("providers:venue_detail", public_id=venue.public_id)
    return render(
        request,
        "providers/venue_form.html",
        {"form": form, "provider": venue.provider, "venue": venue},
    )


def _save_activity(request, form):
    return services.activity_save(
        activity=form.instance,
        suitability=form.cleaned_data["suitable_for"],
        accessibility=form.cleaned_data["accessibility"],
        weekly_slots=form.cleaned_data["weekly_times"],
        dated_sessions=form.cleaned_data["dated_sessions"],
        by=request.user,
    )


@require_http_methods(["GET", "POST"])
@permission_required(Action.MANAGE_DIRECTORY)
def activity_create(request, public_id):
    provider = _editable_or_404(request.user, Provider, public_id)
    form = ActivityForm(
        request.POST or None,
        instance=Activity(provider=provider),
        venues=selectors.venues_of(provider),
    )
    if request.method == "POST" and form.is_valid():
        activity = _save_activity(request, form)
        messages.success(request, f"{activity.name} added")
        return redirect("providers:activity_detail", public_id=activity.public_id)
    return render(
        request,
        "providers/activity_form.html",
        {"form": form, "provider": provider, "creating": True},
    )


@require_GET
def activity_detail(request, public_id):
    _require_directory_reader(request.user)
    activity = get_for_user_or_404(
        request.user, selectors.activity_detail_queryset(), public_id=public_id
    )
    history = list(selectors.history_of(activity))
    return render(
        request,
        "providers/activity_detail.html",
        {
            "activity": activity,
            "may_edit": _may_edit(request.user, activity),
            "tag": presenters.status_tag(activity, history=history),
            "checked": presenters.last_checked_text(activity),
            "cost": presenters.cost_text(activity),
            "times": presenters.weekly_times_text(activity),
            "history": history,
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required(Action.MANAGE_DIRECTORY)
def activity_edit(request, public_id):
    activity = _editable_or_404(request.user, Activity, public_id)
    form = ActivityForm(
        request.POST or None, instance=activity, venues=selectors.venues_of(activity.provider)
    )
    if request.method == "POST" and form.is_valid():
        try:
            _save_activity(request, form)
        except IntegrityError:
            form.add_error(None, "Someone else changed this activity. Check it and try again")
        else:
            messages.success(request, "Activity saved")
            return redirect("providers:activity_detail", public_id=activity.public_id)
    return render(
        request,
        "providers/activity_form.html",
        {"form": form, "provider": activity.provider, "activity": activity},
    )


def _listing_for_action(request, kind, public_id):
    require(request.user, Action.MANAGE_DIRECTORY)
    model = KINDS.get(kind)
    if model is None:
        raise PermissionDenied
    return _editable_or_404(request.user, model, public_id)


def _archived_together(listing) -> str:
    """'2 venues and 5 activities' archived with this listing, or ''."""
    counts = {name: found.count() for name, found in services.archived_with(listing).items()}
    return presenters.archived_together_text(counts) if any(counts.values()) else ""


def _back_to(listing):
    kind = {Provider: "provider", Venue: "venue", Activity: "activity"}[type(listing)]
    return redirect(f"providers:{kind}_detail", public_id=listing.public_id)


def _act_on_listing(request, kind, public_id, operation, message: str):
    listing = _listing_for_action(request, kind, public_id)
    operation(listing=listing, by=request.user)
    messages.success(request, message.format(listing=listing))
    return _back_to(listing)


@require_POST
def listing_verify(request, kind, public_id):
    return _act_on_listing(
        request, kind, public_id, services.listing_verify, "{listing} marked as checked today"
    )


@require_POST
def listing_archive(request, kind, public_id):
    return _act_on_listing(
        request,
        kind,
        public_id,
        services.listing_archive,
        "{listing} archived. Clinicians will no longer see it",
    )


@require_POST
def listing_restore(request, kind, public_id):
    listing = _listing_for_action(request, kind, public_id)
    together = request.POST.get("with_archived_together") == "yes"
    restored = {name: found.count() for name, found in services.archived_with(listing).items()}
    services.listing_restore(listing=listing, by=request.user, with_archived_together=together)
    message = f"{listing} restored"
    if together and any(restored.values()):
        message += f", with {presenters.archived_together_text(restored)}"
    messages.success(request, message)
    return _back_to(listing)
