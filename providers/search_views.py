"""Clinicians find a suitable local activity in one search, and keep a short list."""

import uuid

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from providers import hooks, presenters, search, search_presenters
from providers.models import Activity
from providers.search_forms import SearchForm
from providers.search_pages import SearchPages
from talkingmoves.accounts.permissions import Action, permission_required
from talkingmoves.accounts.scoping import get_for_user_or_404, visible_to
from talkingmoves.vocabulary.access_needs import Accessibility

RESULTS_PER_PAGE = 20
SHORTLIST_SESSION_KEY = "directory_shortlist"
SHORTLIST_LIMIT = 3


def _for_person(request):
    """`for=<public id>`: the service user the search is for (from their record), so each
    result offers Refer / Signpost. Referrals finds them (its own service's staff only)."""
    raw = request.GET.get("for", "")
    if not raw:
        return None
    try:
        public_id = uuid.UUID(raw)
    except ValueError:
        raise Http404 from None
    for person in hooks.search_subject(request=request, public_id=public_id):
        if person is not None:
            return person
    raise Http404


def _shortlist_ids(request) -> list[str]:
    return list(request.session.get(SHORTLIST_SESSION_KEY, []))


@require_GET
@permission_required(Action.SEARCH_DIRECTORY)
def search_page(request):
    person = _for_person(request)
    searched = bool(request.GET)
    form = SearchForm(request.GET if searched else None)
    context = {
        "form": form,
        "searched": searched,
        "shortlist": _shortlist_ids(request),
        "for_person": person,
    }
    if searched and form.is_valid():
        criteria = form.criteria()
        if person is not None:
            criteria = search.for_person(criteria, person, today=timezone.localdate())
        matches = search.matching_activities(request.user, criteria)
        best_fit = search.best_fit(criteria) if criteria.rank_by_fit else None
        pages = SearchPages(search.for_results(matches), RESULTS_PER_PAGE, best_fit=best_fit)
        page = pages.get_page(request.GET.get("page"))
        results = search.results_for_page(page.object_list, criteria)
        replies = hooks.provider_replies.merged(
            user=request.user, provider_ids={r.activity.provider_id for r in results}
        )
        links = search_presenters.ResultLinks(person)
        query = request.GET.copy()
        query.pop("page", None)
        context.update(
            criteria=criteria,
            page=page,
            exact_count=pages.exact_count() if results else None,
            rows=[
                {
                    "result": result,
                    "cost": presenters.cost_text(result.activity),
                    "checked": presenters.last_checked_text(result.activity),
                    "stale": result.activity.needs_checking(),
                    "missing": [Accessibility(code).label for code in result.missing_access],
                    "access": [Accessibility(code).label for code in result.access],
                    "replies": replies.get(result.activity.provider_id),
                    **links.of(result.activity),
                }
                for result in results
            ],
            query_string=query.urlencode(),
            relaxations=[] if page.paginator.count else search.relaxations(request.user, criteria),
        )
    return render(request, "providers/search.html", context)


@require_POST
@permission_required(Action.SEARCH_DIRECTORY)
def shortlist_add(request, public_id):
    activity = get_for_user_or_404(request.user, Activity, public_id=public_id, archived_at=None)
    shortlist = _shortlist_ids(request)
    key = str(activity.public_id)
    if key in shortlist:
        messages.info(request, f"{activity.name} is already on the shortlist")
    elif len(shortlist) >= SHORTLIST_LIMIT:
        messages.warning(
            request,
            f"A shortlist has up to {SHORTLIST_LIMIT} activities. Remove one to add another",
        )
    else:
        shortlist.append(key)
        request.session[SHORTLIST_SESSION_KEY] = shortlist
        messages.success(request, f"{activity.name} added to the shortlist")
    return redirect(_back(request))


@require_POST
@permission_required(Action.SEARCH_DIRECTORY)
def shortlist_remove(request, public_id):
    shortlist = [item for item in _shortlist_ids(request) if item != str(public_id)]
    request.session[SHORTLIST_SESSION_KEY] = shortlist
    return redirect(_back(request))


@require_GET
@permission_required(Action.SEARCH_DIRECTORY)
def shortlist_page(request):
    ids = _shortlist_ids(request)
    activities = {
        str(a.public_id): a
        for a in search.prefetch_for_results(
            visible_to(request.user, Activity).filter(public_id__in=ids, archived_at__isnull=True)
        )
    }
    rows = [
        {
            "activity": activities[key],
            "cost": presenters.cost_text(activities[key]),
            "times": presenters.weekly_times_text(activities[key]),
        }
        for key in ids
        if key in activities
    ]
    return render(request, "providers/shortlist.html", {"rows": rows})


def _back(request) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "providers:search"
