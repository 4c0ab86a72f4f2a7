"""Sentry: started only with SENTRY_DSN, and every event scrubbed of personal data."""

import json

import pytest
import sentry_sdk
from sentry_sdk.transport import Transport

from talkingmoves.core.sentry import before_send, init_sentry

PERSONAL = ["943 476 5919", "9434765919", "jo.bloggs@example.com", "07700 900123", "+447700900123"]
TOKEN = "AbCdEf123.signed-token"


def django_event() -> dict:
    """Shaped as sentry-sdk's Django integration sends an error on a message link page."""
    return {
        "level": "error",
        "platform": "python",
        "transaction": "/n/{token}/",
        "exception": {
            "values": [
                {
                    "type": "IntegrityError",
                    "value": "Key (nhs_number)=(9434765919) for jo.bloggs@example.com",
                    "stacktrace": {
                        "frames": [{"function": "answer", "vars": {"mobile": "07700 900123"}}]
                    },
                }
            ]
        },
        "request": {
            "url": f"https://talkingmoves.example.nhs.uk/n/{TOKEN}/",
            "method": "POST",
            "query_string": "email=jo.bloggs%40example.com",
            "data": {"nhs_number": "943 476 5919", "answer": "yes"},
            "cookies": {"__Host-sessionid": "abc"},
            "headers": {"Authorization": "Bearer x", "X-Forwarded-For": "203.0.113.66"},
            "env": {"REMOTE_ADDR": "203.0.113.66"},
        },
        "user": {"id": "42", "email": "jo.bloggs@example.com", "ip_address": "203.0.113.66"},
        "breadcrumbs": {
            "values": [{"category": "query", "message": "WHERE mobile = '+447700900123'"}]
        },
        "extra": {"note": "call 07700 900123"},
    }


def test_before_send_keeps_only_method_and_redacted_path_and_drops_the_user():
    event = before_send(django_event(), {})
    assert event["request"] == {
        "method": "POST",
        "url": "https://talkingmoves.example.nhs.uk/n/[redacted]/",
    }
    assert "user" not in event
    assert event["exception"]["values"][0]["type"] == "IntegrityError"  # still useful
    sent = json.dumps(event)
    assert not [value for value in [*PERSONAL, TOKEN, "203.0.113.66"] if value in sent]


class Captured(Transport):
    def __init__(self, options=None):
        super().__init__(options)
        self.events = []

    def capture_envelope(self, envelope):
        self.events += [item.payload.json for item in envelope.items if item.type == "event"]


def test_a_real_event_from_the_sdk_is_scrubbed():
    transport = Captured()
    client = sentry_sdk.Client(
        dsn="https://public@sentry.example/1",
        transport=transport,
        before_send=before_send,
        default_integrations=False,
    )
    with sentry_sdk.isolation_scope() as scope:
        scope.set_client(client)
        scope.set_user({"email": "jo.bloggs@example.com"})
        try:
            raise ValueError("No consent for jo.bloggs@example.com on 07700 900123")
        except ValueError:
            scope.capture_exception()
    client.flush()
    (event,) = transport.events
    assert event["exception"]["values"][0]["value"] == "No consent for [redacted] on [redacted]"
    assert "jo.bloggs" not in json.dumps(event)


@pytest.fixture
def sdk_init(monkeypatch):
    calls = []
    monkeypatch.setattr(sentry_sdk, "init", lambda **options: calls.append(options))
    return calls


def test_sentry_starts_only_when_a_dsn_is_set(sdk_init):
    assert init_sentry("", environment="production", release="", traces_sample_rate=0) is False
    assert sdk_init == []
    started = init_sentry(
        "https://public@sentry.example/1",
        environment="staging",
        release="abc",
        traces_sample_rate=0,
    )
    assert started is True
    (options,) = sdk_init
    assert options["include_local_variables"] is False
    assert options["before_send"] is before_send
    assert options["environment"] == "staging"


def test_what_the_sdk_collects_as_it_resolves_our_options(sdk_init, recwarn):
    """What reaches Sentry is what the SDK makes of the options, not the options: no user,
    no local variables, the sensitive cookies and headers left out, and its event scrubber
    kept (an explicit `data_collection` would switch the scrubber off)."""
    init_sentry(
        "https://public@sentry.example/1", environment="staging", release="", traces_sample_rate=0
    )
    (options,) = sdk_init
    options = {**options, "integrations": [], "default_integrations": False}
    resolved = sentry_sdk.Client(**options).options
    collected = resolved["data_collection"]
    assert collected["provided_by_user"] is False
    assert collected["user_info"] is False
    assert collected["stack_frame_variables"] is False
    assert "-user" in collected["cookies"]["terms"]
    assert "forwarded" in collected["http_headers"]["request"]["terms"]
    assert resolved["event_scrubber"] is not None
    assert resolved["max_request_body_size"] == "never"
    assert not [w for w in recwarn if "send_default_pii" in str(w.message)]
