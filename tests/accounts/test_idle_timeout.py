from datetime import timedelta

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone


def test_signed_out_after_thirty_idle_minutes(client_for, partnership_staff):
    client = client_for(partnership_staff)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert client.get(reverse("core:home")).status_code == 200
    with time_machine.travel(start + timedelta(minutes=31), tick=False):
        response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response.url == reverse("accounts:login") + "?timeout=1"
    page = client.get(response.url).content.decode()
    assert "You were signed out because you had not done anything for 30 minutes" in page
    assert client.get(reverse("core:home")).status_code == 302


def test_activity_keeps_the_session(client_for, partnership_staff):
    client = client_for(partnership_staff)
    start = timezone.now()
    for minutes in (0, 25, 50, 75):
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            assert client.get(reverse("core:home")).status_code == 200


def test_keep_alive_extends_the_session(client_for, partnership_staff):
    client = client_for(partnership_staff)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.get(reverse("core:home"))
    with time_machine.travel(start + timedelta(minutes=26), tick=False):
        response = client.post(reverse("accounts:keep_alive"), HTTP_ACCEPT="application/json")
        assert response.status_code == 204
    with time_machine.travel(start + timedelta(minutes=52), tick=False):
        assert client.get(reverse("core:home")).status_code == 200


def test_keep_alive_needs_post(client_for, partnership_staff):
    assert client_for(partnership_staff).get(reverse("accounts:keep_alive")).status_code == 405


def test_pages_carry_the_warning_timings(client_for, partnership_staff):
    content = client_for(partnership_staff).get(reverse("core:home")).content.decode()
    # The countdown ends a minute before the server's 30 minutes (the last activity is
    # written at most once a minute), so the browser never promises more than it gets.
    assert 'data-idle-timeout="1740"' in content
    assert 'data-idle-warning="1500"' in content
    assert 'id="idle-warning"' in content


def session_writes(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return sum('UPDATE "django_session"' in q["sql"] for q in queries.captured_queries)


def test_the_last_activity_is_written_at_most_once_a_minute(client_for, partnership_staff):
    client = client_for(partnership_staff)
    home = reverse("core:home")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.get(home)
    with time_machine.travel(start + timedelta(seconds=59), tick=False):
        assert session_writes(client, home) == 0
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        assert session_writes(client, home) == 1


def test_the_server_keeps_what_the_browser_promised(client_for, partnership_staff):
    """A request not written (59 s after one that was) starts a countdown of 1,740 s in
    the browser; the server still has the session when it ends, and only then signs out."""
    client = client_for(partnership_staff)
    home = reverse("core:home")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.get(home)
    unwritten = start + timedelta(seconds=59)
    with time_machine.travel(unwritten, tick=False):
        client.get(home)
    with time_machine.travel(unwritten + timedelta(seconds=1740), tick=False):
        assert client.get(home).status_code == 200
    with time_machine.travel(unwritten + timedelta(seconds=1740 + 1801), tick=False):
        assert client.get(home).status_code == 302


def test_keep_alive_is_always_written(client_for, partnership_staff):
    client = client_for(partnership_staff)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.get(reverse("core:home"))
    pressed = start + timedelta(seconds=30)
    with time_machine.travel(pressed, tick=False):
        client.post(reverse("accounts:keep_alive"), HTTP_ACCEPT="application/json")
    with time_machine.travel(pressed + timedelta(seconds=1799), tick=False):
        assert client.get(reverse("core:home")).status_code == 200
