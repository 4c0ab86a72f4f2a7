from django.conf import settings

from talkingmoves.accounts.middleware import browser_idle_timeout_seconds

from .navigation import navigation_for


def navigation(request):
    user = getattr(request, "user", None)
    items = navigation_for(user) if user is not None else ()
    path = request.path
    # The item whose address is the longest start of this page's: "Dashboard" stays marked on
    # every dashboard section, "Providers" (not "Listings") under /directory/providers/.
    within = max(
        (item.area for item in items if item.area != "/" and path.startswith(item.area)),
        key=len,
        default=None,
    )
    return {
        "service_name": settings.SERVICE_NAME,
        "nav_items": [
            {
                "label": item.label,
                "url": item.url,
                "current": item.url == path,
                "within": item.area == within and item.url != path,
            }
            for item in items
        ],
        "idle_timeout_seconds": browser_idle_timeout_seconds(),
        "idle_warning_seconds": settings.IDLE_WARNING_SECONDS,
    }


def messages_not_sent(request):
    """Staging with MESSAGES_DELIVERY=store: staff see on every page that nothing is sent."""
    user = getattr(request, "user", None)
    show = settings.MESSAGES_NOT_SENT_WARNING and user is not None and user.is_authenticated
    return {"messages_not_sent": show}
