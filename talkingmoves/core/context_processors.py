from django.conf import settings

from .navigation import navigation_for


def navigation(request):
    user = getattr(request, "user", None)
    items = navigation_for(user) if user is not None else ()
    current = request.path
    return {
        "service_name": settings.SERVICE_NAME,
        "nav_items": [
            {"label": item.label, "url": item.url, "current": item.url == current} for item in items
        ],
        "idle_timeout_seconds": settings.IDLE_TIMEOUT_SECONDS,
        "idle_warning_seconds": settings.IDLE_WARNING_SECONDS,
    }
