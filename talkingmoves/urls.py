from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from talkingmoves.accounts.views import admin_login_redirect

urlpatterns = [
    # Admins sign in through the same page (lockout, two-factor) as everyone else.
    path("admin/login/", login_not_required(admin_login_redirect)),
    path("admin/", admin.site.urls),
    path("account/", include("talkingmoves.accounts.urls")),
    path("directory/", include("providers.urls")),
    path("service-users/", include("referrals.urls")),
    path("outcomes/", include("outcomes.urls")),
    path("outcomes/dashboard/", include("outcomes.dashboards.urls")),
    path("", include("referrals.nudges.urls")),
    # Open data: unauthenticated, read-only (Open Referral UK API, OpenActive feed).
    path("", include("providers.open_data.urls")),
    path("", include("talkingmoves.core.urls")),
]

# Error pages in the NHS.UK layout (talkingmoves/core/errors.py).
handler400 = "talkingmoves.core.errors.bad_request"
handler403 = "talkingmoves.core.errors.permission_denied"
handler404 = "talkingmoves.core.errors.page_not_found"
handler500 = "talkingmoves.core.errors.server_error"
