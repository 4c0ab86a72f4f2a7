"""The load balancer's probes, answered before any other middleware runs.

`/healthz` (liveness) says the process is up and touches nothing. `/readyz` (readiness)
checks the database, its migrations and the broker, and answers 503 naming what failed.
Both answer plain HTTP for any Host header, because the load balancer calls each server by
its address over HTTP: so no HTTPS redirect, host check, session, sign-in, CSP or lockout
work. Only these two exact paths, without a query string, are answered here; everything
else, `/healthz/` and `/readyz?x` included, goes through the full middleware stack.
"""

from django.http import HttpResponse, JsonResponse

from . import selectors


def _liveness() -> HttpResponse:
    return JsonResponse({"status": "ok"})


def _readiness() -> HttpResponse:
    checks = selectors.readiness()
    failed = [name for name, state in checks.items() if state not in ("ok", "not checked")]
    body = {"status": "unavailable" if failed else "ok", "failed": failed, "checks": checks}
    return JsonResponse(body, status=503 if failed else 200)


PROBES = {"/healthz": _liveness, "/readyz": _readiness}


class ProbeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        probe = PROBES.get(request.path_info)
        if probe is None or request.META.get("QUERY_STRING"):
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            response = JsonResponse({"error": "Use GET or HEAD"}, status=405)
            response["Allow"] = "GET, HEAD"
        else:
            response = probe()
        response["Cache-Control"] = "no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response
