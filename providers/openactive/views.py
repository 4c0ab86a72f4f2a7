"""OpenActive feed pages for Active Partnership staff."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from providers.models import OpenActiveFeed
from talkingmoves.accounts.permissions import Action, require
from talkingmoves.accounts.roles import Role
from talkingmoves.accounts.scoping import get_for_user_or_404

from . import presenters, selectors
from .forms import FeedForm
from .jobs import feed_harvest_start
from .services import feed_pause, feed_register, feed_remove, feed_resume


def feeds_access_required(view):
    """Partnership staff manage their partnership's feeds; superusers may look and re-run.

    MANAGE_DIRECTORY also lets service leads and provider staff edit their own listings,
    but feeds belong to a partnership, so they get 403 here.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if not user.is_superuser:
            require(user, Action.MANAGE_DIRECTORY)
            if user.role != Role.PARTNERSHIP_STAFF:
                raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@require_GET
@feeds_access_required
def feed_list(request):
    feeds = selectors.feeds_with_latest_run(user=request.user)
    return render(
        request,
        "providers/feeds/list.html",
        {"rows": presenters.feed_rows(feeds), "can_register": not request.user.is_superuser},
    )


@require_http_methods(["GET", "POST"])
@feeds_access_required
def feed_add(request):
    if request.user.organisation is None:
        raise PermissionDenied  # a superuser has no partnership to register a feed for
    form = FeedForm(request.POST or None, partnership=request.user.organisation)
    if request.method == "POST" and form.is_valid():
        feed = feed_register(
            partnership=request.user.organisation,
            name=form.cleaned_data["name"],
            url=form.cleaned_data["url"],
        )
        job = feed_harvest_start(feed=feed, user=request.user)
        messages.success(request, f"{feed.name} is registered. Its first harvest has started")
        return redirect("jobs:detail", job_id=job.pk)
    return render(request, "providers/feeds/add.html", {"form": form})


def _feed_or_404(request, public_id) -> OpenActiveFeed:
    """A feed the user may see and that has not been removed."""
    return get_for_user_or_404(
        request.user, OpenActiveFeed, public_id=public_id, removed_at__isnull=True
    )


def _partnership_staff_only(request) -> None:
    """Pausing and removing are the partnership's decisions, not an administrator's."""
    if request.user.role != Role.PARTNERSHIP_STAFF:
        raise PermissionDenied


@require_GET
@feeds_access_required
def feed_detail(request, public_id):
    feed = _feed_or_404(request, public_id)
    runs = selectors.feed_recent_runs(feed=feed)
    return render(
        request,
        "providers/feeds/detail.html",
        {
            "feed": feed,
            "latest": presenters.feed_row(feed, runs[0] if runs else None),
            "runs": presenters.run_rows(runs),
            "rejections": presenters.rejections(runs),
            "can_manage": request.user.role == Role.PARTNERSHIP_STAFF,
            "listings": selectors.feed_listing_count(feed=feed),
        },
    )


@require_POST
@feeds_access_required
def feed_harvest_now(request, public_id):
    feed = _feed_or_404(request, public_id)
    job = feed_harvest_start(feed=feed, user=request.user)
    return redirect("jobs:detail", job_id=job.pk)


@require_POST
@feeds_access_required
def feed_pause_view(request, public_id):
    _partnership_staff_only(request)
    feed = _feed_or_404(request, public_id)
    feed_pause(feed=feed)
    messages.success(request, f"{feed.name} is paused: it will not be harvested until resumed")
    return redirect("providers:feed_detail", public_id=feed.public_id)


@require_POST
@feeds_access_required
def feed_resume_view(request, public_id):
    _partnership_staff_only(request)
    feed = _feed_or_404(request, public_id)
    feed_resume(feed=feed)
    messages.success(request, f"{feed.name} is harvested again, from where it stopped")
    return redirect("providers:feed_detail", public_id=feed.public_id)


@require_http_methods(["GET", "POST"])
@feeds_access_required
def feed_remove_view(request, public_id):
    _partnership_staff_only(request)
    feed = _feed_or_404(request, public_id)
    if request.method == "POST":
        withdrawn = feed_remove(feed=feed, by=request.user)
        messages.success(
            request,
            f"{feed.name} is removed and its {withdrawn} listing"
            f"{'s are' if withdrawn != 1 else ' is'} withdrawn from search",
        )
        return redirect("providers:feed_list")
    return render(
        request,
        "providers/feeds/remove.html",
        {"feed": feed, "listings": selectors.feed_listing_count(feed=feed)},
    )
