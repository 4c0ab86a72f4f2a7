"""The three reads every signed-in request makes before its view runs: its session, its user
with their organisation, and the authenticator device the session was verified with. Each is
a statement compiled once (talkingmoves/core/compiled_query.py) and read back into model
instances, as Django's own reads would give them: building and compiling the three querysets
cost every page about 2 ms of CPU, more than PostgreSQL took to answer them.
"""

from django.contrib.sessions.models import Session
from django_otp.plugins.otp_totp.models import TOTPDevice

from talkingmoves.accounts.models import User
from talkingmoves.core.compiled_query import CompiledInstances, Marker, a_moment, an_id

_USER = CompiledInstances(
    lambda _shape, *, user_id: User.objects.select_related("organisation").filter(pk=user_id),
    user_id=an_id(),
)
_DEVICE = CompiledInstances(
    lambda _shape, *, device_id: TOTPDevice.objects.filter(pk=device_id), device_id=an_id()
)
_SESSION = CompiledInstances(
    lambda _shape, *, key, now: Session.objects.filter(session_key=key, expire_date__gt=now),
    key=Marker("\x00session key"),
    now=a_moment(),
)


def user_with_organisation(user_id) -> User | None:
    """The user, with their organisation (every page's header names it), or None."""
    return _USER.first(user_id=user_id)


def totp_device(device_id: int) -> TOTPDevice | None:
    return _DEVICE.first(device_id=device_id)


def live_session(key: str, now) -> Session | None:
    """The session with this key, unless it expired by `now`."""
    return _SESSION.first(key=key, now=now)
