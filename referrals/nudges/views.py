import hmac
import json

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from referrals.nudges.services import nudge_delivery_status


def bearer_token_ok(request, expected: str) -> bool:
    """The callback's bearer token, compared in constant time; no token set refuses all."""
    header = request.headers.get("Authorization", "")
    if not expected or not header.startswith("Bearer "):
        return False
    return hmac.compare_digest(header.removeprefix("Bearer ").encode(), expected.encode())


@csrf_exempt  # called by Notify's servers, authenticated by the bearer token instead
@login_not_required
@require_POST
def notify_callback(request):
    if not bearer_token_ok(request, settings.NOTIFY_CALLBACK_TOKEN):
        return HttpResponse(status=401)
    try:
        payload = json.loads(request.body)
        reference, status = str(payload["reference"] or ""), str(payload["status"])
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"error": "Expected JSON with reference and status"}, status=400)
    updated = nudge_delivery_status(reference=reference, status=status)
    return JsonResponse({"updated": updated})
