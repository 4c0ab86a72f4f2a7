"""Django's database sessions, read by a statement compiled once (signed_in_reads.py):
SESSION_ENGINE names this module. Everything else (saving, expiry, clearing expired
sessions) is Django's own."""

from django.contrib.sessions.backends import db
from django.utils import timezone

from talkingmoves.accounts.signed_in_reads import live_session


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        session = live_session(self.session_key, timezone.now())
        if session is None:
            # As Django's own: a key with no live session is not reused.
            self._session_key = None
        return session
