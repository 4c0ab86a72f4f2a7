"""Sign-in backend: Django's ModelBackend, loading the signed-in user with their
organisation. Every page's header names the organisation, so a plain ModelBackend costs one
query a page for it. The read is compiled once (signed_in_reads.py)."""

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from talkingmoves.accounts.signed_in_reads import user_with_organisation

# Stays in AUTHENTICATION_BACKENDS after this one: sessions started before this backend
# name it, and Django only restores a session whose backend is still listed.
PLAIN_BACKEND = "django.contrib.auth.backends.ModelBackend"


class UserWithOrganisationBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None and username is not None:
            # Stop here: otherwise Django asks the ModelBackend listed after this one, which
            # hashes the same wrong password a second time (Argon2, tens of milliseconds).
            raise PermissionDenied
        return user

    def get_user(self, user_id):
        user = user_with_organisation(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
