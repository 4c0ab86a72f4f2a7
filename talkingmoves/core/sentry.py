"""Error reports to Sentry, only when SENTRY_DSN is set, and without personal data.

Sentry's own defaults collect no user, and `max_request_body_size="never"` no request body;
`send_default_pii` is not passed (sentry-sdk 2.76 deprecates it, and leaving it out resolves
to the same collection). No local variables are sent (a frame's locals can hold a service
user's record), and no `data_collection` is given: an explicit one switches off the SDK's
event scrubber and takes the spec's defaults for every field it omits.
`before_send` is the last word on each event: the request is cut to its method and its path
(with any link's token redacted), the user is removed, and every string left is scrubbed of
NHS numbers, email addresses and phone numbers (an exception's message can quote a row).
Names cannot be recognised by pattern: code must not put them in exception messages.
"""

from urllib.parse import urlsplit, urlunsplit

from talkingmoves.core.pii import scrub


def before_send(event: dict, hint: dict | None = None) -> dict:
    from talkingmoves.core.log_redaction import redact

    event = dict(event)
    event.pop("user", None)
    request = event.get("request")
    if isinstance(request, dict):
        parts = urlsplit(str(request.get("url", "")))
        url = urlunsplit((parts.scheme, parts.netloc, redact(parts.path or "/"), "", ""))
        event["request"] = {"method": request.get("method", ""), "url": url}
    return scrub(event)


def init_sentry(dsn: str, *, environment: str, release: str, traces_sample_rate: float) -> bool:
    """Start the Sentry SDK when a DSN is given; says whether it did."""
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release or None,
        include_local_variables=False,
        max_request_body_size="never",
        before_send=before_send,
        traces_sample_rate=traces_sample_rate,
        integrations=[DjangoIntegration(), CeleryIntegration()],
    )
    return True
