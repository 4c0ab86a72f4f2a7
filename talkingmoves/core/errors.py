"""Error pages in the NHS.UK layout (talkingmoves/urls.py names them; CSRF_FAILURE_VIEW too).

The 500 page renders without the request: whatever broke may be the database or the session,
and the context processors (the signed-in user, the menu) would need them."""

from django.conf import settings
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template.loader import render_to_string


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    page = render_to_string("500.html", {"service_name": settings.SERVICE_NAME})
    return HttpResponseServerError(page)


def csrf_failure(request, reason=""):
    # Usually a form left open past the session, or a page kept from a closed browser;
    # `reason` is for developers and says nothing a user can act on.
    return HttpResponse(render_to_string("403_csrf.html", request=request), status=403)
