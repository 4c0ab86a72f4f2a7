from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from talkingmoves.accounts.roles import Role

from . import hooks, metrics, notices, selectors

HOME_TEMPLATES = {
    Role.CLINICIAN: "core/home_clinician.html",
    Role.SERVICE_LEAD: "core/home_service_lead.html",
    Role.PARTNERSHIP_STAFF: "core/home_partnership.html",
    Role.PROVIDER_STAFF: "core/home_provider.html",
}


@require_GET
def home(request):
    user = request.user
    if user.is_superuser:
        return render(request, "core/home_admin.html", {"health": selectors.system_health()})
    template = HOME_TEMPLATES.get(user.role)
    if template is None:
        raise PermissionDenied
    # The directory adds its listing counts for the roles that keep or use listings.
    context = {"organisation": user.organisation, **hooks.home_page.merged(user=user)}
    return render(request, template, context)


@login_not_required
@never_cache
@require_GET
def health(request):
    health = selectors.system_health()
    status = 200 if health.database_ok else 503
    return JsonResponse(
        {
            "database": "ok" if health.database_ok else "unavailable",
            "broker": "ok" if health.broker_ok else "unavailable",
            "worker_last_seen_seconds": health.worker_last_seen_seconds,
        },
        status=status,
    )


@login_not_required
@require_GET
def accessibility(request):
    return render(request, "core/accessibility.html", notices.accessibility_statement())


@login_not_required
@require_GET
def privacy(request):
    return render(request, "core/privacy.html", notices.privacy_notice())


@login_not_required
@never_cache
@require_GET
def metrics_export(request):
    """For Prometheus: the token is the only way in (signing in grants nothing here)."""
    if not settings.METRICS_TOKEN:
        raise Http404
    if not metrics.bearer_token_valid(request):
        response = HttpResponse("A valid bearer token is required.\n", status=401)
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return HttpResponse(metrics.exposition(), content_type=metrics.CONTENT_TYPE)


@login_not_required
@require_GET
def favicon(request):
    # Browsers ask for /favicon.ico on pages that name no icon (Django's admin, for one).
    return HttpResponsePermanentRedirect(static("vendor/nhsuk-frontend/assets/images/favicon.ico"))
