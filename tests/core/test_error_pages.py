"""Error pages in the NHS.UK layout: 400, 403, 404, 500 and a refused form (CSRF), each
saying what to do next. The 500 page renders without a request or a database."""

import pytest
from django.contrib.auth.decorators import login_not_required
from django.test import Client, RequestFactory
from django.urls import path, reverse

from talkingmoves import urls as project_urls
from talkingmoves.core import errors


@login_not_required
def _broken(request):
    raise RuntimeError("a bug")


# The project's pages plus one that fails, for the 500 test (pytest.mark.urls below).
urlpatterns = [path("broken/", _broken), *project_urls.urlpatterns]
handler500 = project_urls.handler500


def _in_layout(content: str) -> bool:
    return 'class="nhsuk-header"' in content and 'href="/accessibility/"' in content


def test_the_project_names_every_error_page():
    assert project_urls.handler400 == "talkingmoves.core.errors.bad_request"
    assert project_urls.handler403 == "talkingmoves.core.errors.permission_denied"
    assert project_urls.handler404 == "talkingmoves.core.errors.page_not_found"
    assert project_urls.handler500 == "talkingmoves.core.errors.server_error"


@pytest.mark.django_db
def test_unknown_address_gets_the_404_page_signed_out(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    content = response.content.decode()
    assert "<h1>Page not found</h1>" in content and _in_layout(content)


@pytest.mark.parametrize("role", ["clinician", "lead", "partnership", "provider", "admin"])
def test_unknown_address_gets_the_404_page_with_the_menu(cast, client_for, role):
    response = client_for(cast[role]).get("/no-such-page/")
    assert response.status_code == 404
    content = response.content.decode()
    assert "Page not found" in content and 'aria-label="Menu"' in content


def test_wrong_role_gets_the_403_page(cast, client_for):
    response = client_for(cast["clinician"]).get(reverse("dashboards:lead_dashboard"))
    assert response.status_code == 403
    content = response.content.decode()
    assert "You do not have access to this page" in content and _in_layout(content)


@pytest.mark.django_db
def test_unknown_host_gets_the_400_page(client):
    response = client.get("/accessibility/", HTTP_HOST="not-our-site.example")
    assert response.status_code == 400
    content = response.content.decode()
    assert "Sorry, there is a problem with your request" in content and _in_layout(content)


def test_500_page_renders_without_a_request_context_or_database():
    # No `db` fixture: pytest-django fails the test if the page touches the database.
    response = errors.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    content = response.content.decode()
    assert "Sorry, there is a problem with the service" in content and _in_layout(content)
    assert "Sign out" not in content and 'aria-label="Menu"' not in content


@pytest.mark.urls("tests.core.test_error_pages")
@pytest.mark.django_db
def test_a_bug_gets_the_500_page():
    client = Client(raise_request_exception=False)
    response = client.get("/broken/")
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


@pytest.mark.django_db
def test_form_without_its_csrf_token_gets_the_refused_form_page():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"username": "a@b.test", "password": "x"})
    assert response.status_code == 403
    content = response.content.decode()
    assert "Sorry, we could not save that" in content and _in_layout(content)
    assert "CSRF" not in content  # Django's reason is for developers, not users


def test_signed_in_form_without_its_csrf_token_keeps_the_menu(cast, client_for):
    client = client_for(cast["lead"])
    client.handler.enforce_csrf_checks = True
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 403
    assert 'aria-label="Menu"' in response.content.decode()
