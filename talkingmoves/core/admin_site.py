from functools import wraps

from django.contrib import admin
from django.core.exceptions import PermissionDenied


class TalkingMovesAdminSite(admin.AdminSite):
    site_header = "TalkingMoves administration"
    site_title = "TalkingMoves admin"

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        # A signed-in user without admin rights gets 403, not the admin's login page.
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.user.is_authenticated and not self.has_permission(request):
                raise PermissionDenied
            return inner(request, *args, **kwargs)

        return wrapper
