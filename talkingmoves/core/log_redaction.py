"""Logs without the secrets some URLs carry.

A signed link (a service user's message, a provider's answer, a questionnaire) or a
password-reset link is a credential: whoever reads the log could open it. The path is
resolved and the value of every URL argument named in SECRET_ARGUMENTS replaced, in
gunicorn's access log (`AccessLog`) and in Django's request log ("Not Found: /n/...",
`RedactLinkTokens`). A new link is covered by naming its URL argument `token`.
"""

import logging

from django.urls import Resolver404, resolve
from gunicorn.glogging import Logger

SECRET_ARGUMENTS = ("token", "uidb64")
REDACTED = "[redacted]"


def redact(path: str) -> str:
    try:
        match = resolve(path)
    except Resolver404:
        return path
    for name in SECRET_ARGUMENTS:
        value = match.kwargs.get(name)
        if value:
            path = path.replace(str(value), REDACTED)
    return path


class AccessLog(Logger):
    """gunicorn's logger class (scripts/web)."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        path = environ.get("PATH_INFO") or ""
        safe = redact(path)
        if safe != path:
            atoms["U"] = safe
            atoms["r"] = f"{atoms['m']} {safe} {atoms['H']}"  # without the query string
        return atoms


class RedactLinkTokens(logging.Filter):
    """On the django.request logger, whose messages name the path."""

    def filter(self, record):
        if isinstance(record.args, tuple):
            record.args = tuple(
                redact(arg) if isinstance(arg, str) and arg.startswith("/") else arg
                for arg in record.args
            )
        return True
