from datetime import timedelta

import time_machine
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
    assert 'data-idle-timeout="1800"' in content
    assert 'data-idle-warning="1500"' in content
    assert 'id="idle-warning"' in content
