"""/healthz and /readyz answer the load balancer before any other middleware: plain HTTP,
any Host, no session or sign-in. Only those two exact paths; everything else still gets
the HTTPS redirect and the host check."""

import json

import pytest
from django.db import DatabaseError
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from talkingmoves.core import selectors

GOOD_HOST = "talkingmoves.example.nhs.uk"


@pytest.fixture
def production_like(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = [GOOD_HOST]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


@pytest.fixture
def probe(client, production_like):
    """A GET as a load balancer sends it: plain HTTP, to the server's own address."""

    def get(path, **extra):
        return client.get(path, HTTP_HOST="10.0.3.7:8000", **extra)

    return get


@pytest.mark.django_db
def test_healthz_answers_plain_http_for_any_host_and_touches_nothing(
    probe, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = probe("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers
    assert "Content-Security-Policy" not in response.headers  # CSP middleware never ran


@pytest.mark.django_db
def test_healthz_answers_head(client, production_like):
    assert client.head("/healthz", HTTP_HOST="10.0.3.7").status_code == 200


@pytest.mark.django_db
def test_readyz_reports_each_check(probe):
    response = probe("/readyz")
    assert response.status_code == 200, response.content
    assert response.json() == {
        "status": "ok",
        "failed": [],
        "checks": {"database": "ok", "migrations": "ok", "broker": "ok"},
    }
    assert "Set-Cookie" not in response.headers


@pytest.mark.django_db
def test_readyz_names_an_unreachable_broker(probe, monkeypatch):
    monkeypatch.setattr(selectors, "_broker_reachable", lambda: False)
    response = probe("/readyz")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["failed"] == ["broker"]
    assert body["checks"]["broker"] == "unreachable"


@pytest.mark.django_db
def test_readyz_names_unapplied_migrations(probe, monkeypatch):
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: ["one", "two"])
    response = probe("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["migrations"]
    assert response.json()["checks"]["migrations"] == "2 not applied"


@pytest.mark.django_db
def test_readyz_names_an_unreachable_database(probe, monkeypatch):
    def broken(self, targets):
        raise DatabaseError("connection refused")

    monkeypatch.setattr(MigrationExecutor, "migration_plan", broken)
    response = probe("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["database"]
    assert response.json()["checks"]["migrations"] == "not checked"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_probes_refuse_other_methods(client, production_like, path, method):
    response = getattr(client, method)(path, HTTP_HOST="10.0.3.7")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/healthz/", "/healthz/x", "/readyz?x", "/readyz/", "/health/", "/"]
)
def test_nothing_else_skips_the_https_redirect(client, production_like, path):
    response = client.get(path, HTTP_HOST=GOOD_HOST)
    assert response.status_code == 301
    assert response["Location"] == f"https://{GOOD_HOST}{path}"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/healthz/x", "/readyz?x", "/health/", "/HEALTHZ", "/"])
def test_nothing_else_skips_the_host_check(client, production_like, path):
    response = client.get(path, HTTP_HOST="attacker.example", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 400


@pytest.mark.django_db
def test_behind_the_load_balancer_pages_are_served_not_redirected(client, production_like):
    response = client.get("/", HTTP_HOST=GOOD_HOST, HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_the_health_page_stays_as_it_was(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert set(response.json()) == {"database", "broker", "worker_last_seen_seconds"}
