"""The three reads every signed-in request makes before its view runs: its session, its user
with their organisation, and the authenticator device the session was verified with. Each is
a statement compiled once (talkingmoves/core/compiled_query.py) and read back into model
instances, as Django's own reads would give them: building and compiling the three querysets
cost every page about 2 ms of CPU, more than PostgreSQL took to answer them.
"""

from django.contrib.sessions.models import Session
from django.db import router
from django_otp.plugins.otp_totp.models import TOTPDevice

from talkingmoves.accounts.models import Organisation, User
from talkingmoves.core.compiled_query import CompiledValues, Marker, a_moment, an_id

_USER_COLUMNS = tuple(field.attname for field in User._meta.concrete_fields)
_ORGANISATION_COLUMNS = tuple(field.attname for field in Organisation._meta.concrete_fields)
_DEVICE_COLUMNS = tuple(field.attname for field in TOTPDevice._meta.concrete_fields)

_USER = CompiledValues(
    lambda _shape, *, user_id: User.objects.filter(pk=user_id).values(
        *_USER_COLUMNS, *(f"organisation__{column}" for column in _ORGANISATION_COLUMNS)
    ),
    user_id=an_id(),
)
_DEVICE = CompiledValues(
    lambda _shape, *, device_id: TOTPDevice.objects.filter(pk=device_id).values(*_DEVICE_COLUMNS),
    device_id=an_id(),
)
_SESSION = CompiledValues(
    lambda _shape, *, key, now: Session.objects.filter(session_key=key, expire_date__gt=now).values(
        "session_data", "expire_date"
    ),
    key=Marker("\x00session key"),
    now=a_moment(),
)


def user_with_organisation(user_id) -> User | None:
    """The user, with their organisation (every page's header names it), or None."""
    rows = _USER.tuples(user_id=user_id)
    if not rows:
        return None
    row, alias = rows[0], router.db_for_read(User)
    user = User.from_db(alias, _USER_COLUMNS, row[: len(_USER_COLUMNS)])
    organisation = None
    if user.organisation_id is not None:
        organisation = Organisation.from_db(alias, _ORGANISATION_COLUMNS, row[len(_USER_COLUMNS) :])
    User._meta.get_field("organisation").set_cached_value(user, organisation)
    return user


def totp_device(device_id: int) -> TOTPDevice | None:
    rows = _DEVICE.tuples(device_id=device_id)
    if not rows:
        return None
    return TOTPDevice.from_db(router.db_for_read(TOTPDevice), _DEVICE_COLUMNS, rows[0])


def live_session(key: str, now) -> Session | None:
    """The session with this key, unless it expired by `now`."""
    rows = _SESSION.tuples(key=key, now=now)
    if not rows:
        return None
    session_data, expire_date = rows[0]
    return Session(session_key=key, session_data=session_data, expire_date=expire_date)
