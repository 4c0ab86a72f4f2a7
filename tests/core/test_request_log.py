"""The request and task log lines: route names not paths, a keyed hash not the user, and the
request id returned to the caller."""

import json
import logging
import sys

import pytest

from talkingmoves.core.request_log import (
    JsonFormatter,
    pseudonym,
    task_finished,
    task_started,
)


def _lines(caplog, logger):
    return [record for record in caplog.records if record.name == logger]


def test_one_line_per_request_with_route_status_user_and_id(client_for, clinician, caplog):
    caplog.set_level(logging.INFO, logger="talkingmoves.requests")
    response = client_for(clinician).get("/")
    (line,) = _lines(caplog, "talkingmoves.requests")
    assert (line.route, line.status, line.method) == ("core:home", 200, "GET")
    assert line.user == pseudonym(clinician.pk) != str(clinician.pk)
    assert line.duration_ms >= 0
    formatted = json.loads(JsonFormatter().format(line))
    assert formatted["request_id"] == response["X-Request-ID"]
    assert clinician.email not in json.dumps(formatted)


def test_a_link_is_logged_by_route_name_never_its_token(client, db, caplog):
    caplog.set_level(logging.INFO, logger="talkingmoves.requests")
    client.get("/n/secret-token-value/")
    (line,) = _lines(caplog, "talkingmoves.requests")
    assert line.route == "nudges:answer"
    assert "secret-token-value" not in caplog.text


@pytest.mark.parametrize(
    ("offered", "kept"),
    [("lb-7f3a9c2e41d04b8f", True), ("<script>", False), ("x" * 200, False)],
)
def test_a_load_balancers_request_id_is_kept_when_it_looks_like_one(client, db, offered, kept):
    response = client.get("/privacy/", HTTP_X_REQUEST_ID=offered)
    assert (response["X-Request-ID"] == offered) is kept
    assert response["X-Request-ID"]


def test_static_files_and_unknown_paths_are_named_not_quoted(client, db, caplog):
    caplog.set_level(logging.INFO, logger="talkingmoves.requests")
    client.get("/static/css/app.css")
    client.get("/no-such-page-jo@example.com/")
    routes = [line.route for line in _lines(caplog, "talkingmoves.requests")]
    assert routes == ["static", "unresolved"]


def test_anonymous_requests_have_no_user(client, db, caplog):
    caplog.set_level(logging.INFO, logger="talkingmoves.requests")
    client.get("/privacy/")
    (line,) = _lines(caplog, "talkingmoves.requests")
    assert line.user == ""


def test_one_line_per_task_with_name_id_state_and_time(caplog):
    caplog.set_level(logging.INFO, logger="talkingmoves.tasks")

    class Task:
        name = "referrals.nudges.tasks.send_nudge"

    task_started(task_id="abc")
    task_finished(task_id="abc", task=Task(), state="SUCCESS")
    (line,) = _lines(caplog, "talkingmoves.tasks")
    assert (line.task, line.task_id, line.state) == (Task.name, "abc", "SUCCESS")
    assert line.duration_ms >= 0


def test_json_lines_scrub_personal_data_from_messages_and_tracebacks():
    try:
        raise ValueError("Key (nhs_number)=(943 476 5919) exists for jo@example.com")
    except ValueError:
        record = logging.LogRecord(
            "x", logging.ERROR, __file__, 1, "call %s", ("07700 900123",), sys.exc_info()
        )
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "call [redacted]"
    assert "943 476 5919" not in line["exception"] and "jo@example.com" not in line["exception"]
    assert "ValueError" in line["exception"]
