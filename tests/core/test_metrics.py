"""/metrics for Prometheus: hidden without METRICS_TOKEN, 401 without the right bearer
token whoever is signed in, and the on-call gauges computed at scrape time, with nothing
personal in them."""

from datetime import timedelta

import pytest
import redis
from django.test import Client
from django.utils import timezone

from referrals.nudges.models import Nudge
from tests.nudges.factories import NudgeFactory
from tests.outcomes.factories import RiskFlagFactory

URL = "/metrics"
TOKEN = "metrics-token-for-tests-0123456789"
pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def token(settings):
    settings.METRICS_TOKEN = TOKEN


def scrape(client=None) -> str:
    response = (client or Client()).get(URL, HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    return response.content.decode()


def gauge(body: str, name: str) -> float:
    (line,) = [line for line in body.splitlines() if line.startswith(f"{name} ")]
    return float(line.split()[-1])


@pytest.mark.parametrize("role", [None, "clinician", "lead", "admin"])
def test_without_a_token_configured_the_path_does_not_exist(db, cast, client_for, role):
    client = client_for(cast[role]) if role else Client()
    assert client.get(URL, HTTP_AUTHORIZATION="Bearer anything").status_code == 404


@pytest.mark.parametrize(
    "authorization",
    ["", "Bearer wrong-token", f"Basic {TOKEN}", f"Bearer {TOKEN}x", "Bearer"],
    ids=["none", "wrong", "basic", "longer", "empty"],
)
def test_a_wrong_or_missing_token_is_401(db, token, authorization):
    response = Client().get(URL, HTTP_AUTHORIZATION=authorization)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("role", ["clinician", "lead", "partnership", "provider", "admin"])
def test_signing_in_grants_nothing(cast, client_for, token, role):
    assert client_for(cast[role]).get(URL).status_code == 401


def test_only_get(db, token):
    response = Client().post(URL, HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 405


def test_on_call_gauges(token, person, django_assert_max_num_queries):
    now = timezone.now()
    NudgeFactory(service_user=person, status=Nudge.Status.SCHEDULED, due_at=now)
    NudgeFactory(
        service_user=person, status=Nudge.Status.SCHEDULED, due_at=now - timedelta(hours=1)
    )
    NudgeFactory(service_user=person, status=Nudge.Status.SCHEDULED, due_at=now + timedelta(1))
    NudgeFactory(service_user=person, status=Nudge.Status.FAILED, updated_at=now)
    NudgeFactory(
        service_user=person, status=Nudge.Status.FAILED, updated_at=now - timedelta(days=2)
    )
    RiskFlagFactory(raised_at=now - timedelta(minutes=30), escalate_at=now)
    RiskFlagFactory(raised_at=now - timedelta(days=3), escalate_at=None)  # acknowledged

    with django_assert_max_num_queries(4):
        body = scrape()

    assert gauge(body, "talkingmoves_messages_due") == 2
    assert gauge(body, "talkingmoves_messages_overdue") == 1
    assert gauge(body, "talkingmoves_messages_failed_24h") == 1
    assert gauge(body, "talkingmoves_risk_flag_oldest_unacknowledged_seconds") == 30 * 60
    assert "django_http_requests_total_by_view_transport_method_total" in body
    assert "talkingmoves_jobs_failed" not in body  # the jobs app is not installed here
    for value in [person.given_name, person.family_name, person.nhs_number, person.email]:
        assert value not in body


def test_queue_lengths_per_queue_from_redis(db, token, settings):
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    broker.delete("reports")
    broker.rpush("reports", "task-1", "task-2", "task-3")
    try:
        body = scrape()
    finally:
        broker.delete("reports")
    assert gauge(body, "talkingmoves_broker_up") == 1
    assert 'talkingmoves_queue_length{queue="reports"} 3.0' in body
    for queue in ["messages", "imports", "default"]:
        assert f'talkingmoves_queue_length{{queue="{queue}"}}' in body


def test_redis_down_is_a_gauge_not_an_error(db, token, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    body = scrape()
    assert gauge(body, "talkingmoves_broker_up") == 0
    assert "talkingmoves_queue_length" not in body
    assert "talkingmoves_messages_due" in body
