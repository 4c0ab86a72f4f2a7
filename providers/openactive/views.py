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
from .services import feed_register


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


@require_GET
@feeds_access_required
def feed_detail(request, public_id):
    feed = get_for_user_or_404(request.user, OpenActiveFeed, public_id=public_id)
    runs = selectors.feed_recent_runs(feed=feed)
    return render(
        request,
        "providers/feeds/detail.html",
        {
            "feed": feed,
            "latest": presenters.feed_row(feed, runs[0] if runs else None),
            "runs": presenters.run_rows(runs),
            "rejections": presenters.rejections(runs),
        },
    )


@require_POST
@feeds_access_required
def feed_harvest_now(request, public_id):
    feed = get_for_user_or_404(request.user, OpenActiveFeed, public_id=public_id)
    job = feed_harvest_start(feed=feed, user=request.user)
    return redirect("jobs:detail", job_id=job.pk)
