"""What every open data response shares: public, read-only JSON that any website may fetch."""

from functools import wraps
from http import HTTPStatus

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, JsonResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.csrf import csrf_exempt

CACHE_SECONDS = 300


class ApiError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def json_response(data, *, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


def json_text_response(text: str) -> HttpResponse:
    """JSON already written (providers.open_data.feed_json), with json_response's headers."""
    return HttpResponse(text, content_type="application/json")


def error_response(status: int, message: str) -> JsonResponse:
    return json_response(
        {"status": status, "error": HTTPStatus(status).phrase, "message": message}, status=status
    )


def open_data_view(view):
    """No sign-in, GET only, errors as JSON, `Access-Control-Allow-Origin: *` on every
    response (Open Referral UK requires it), and successful answers cacheable."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            response = error_response(405, "Only GET requests are supported")
            response["Allow"] = "GET, HEAD"
        else:
            try:
                response = view(request, *args, **kwargs)
            except ApiError as error:
                response = error_response(error.status, error.message)
        if response.status_code == 200:
            patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
        response["Access-Control-Allow-Origin"] = "*"
        return response

    # Nothing here changes state, and a POST should get the JSON 405, not the CSRF page.
    return login_not_required(csrf_exempt(wrapper))
