"""Who reaches which page: anonymous users are sent to sign in, each role reaches only its
own pages, and a wrong role gets 403 rather than a login loop."""

import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.html import escape

# Pages anyone may open without signing in.
PUBLIC_URL_NAMES = {
    "accounts:login",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
    "core:health",
    "core:accessibility",
    "core:privacy",
    "core:metrics",  # a bearer token, not a session (tests/core/test_metrics.py)
    "core:favicon",
    "open_data:page",
    "open_data:oruk_root",
    "open_data:oruk_services",
    "open_data:oruk_service",
    "open_data:openactive_session_series",
    "referrals:provider_link",
    "outcomes:self_complete",
    "outcomes:plan_page",
    "outcomes:plan_easy_read",
    "nudges:answer",
    "nudges:options",
    "nudges:shortlist_page",
    "nudges:not_yet",
    "nudges:notify_callback",
    "accounts:invitation",  # the link in an invitation email (tests/accounts/test_invitations.py)
    "nudges:notify_replies",  # a bearer token (tests/nudges/test_text_replies.py)
}

EXAMPLE_ARGUMENTS = {"int": "1", "uuid": str(uuid.uuid4()), "str": "x", "slug": "x", "path": "x"}


def _project_paths(resolver=None, prefix="", namespace=""):
    """Every URL in the project (outside the Django admin), with example arguments."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        pattern = str(entry.pattern)
        if isinstance(entry, URLResolver):
            if pattern.startswith("admin/"):
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _project_paths(entry, prefix + pattern, inner)
        elif isinstance(entry, URLPattern):
            path = prefix + pattern
            for converter, value in EXAMPLE_ARGUMENTS.items():
                while f"<{converter}:" in path:
                    start = path.index(f"<{converter}:")
                    path = path[:start] + value + path[path.index(">", start) + 1 :]
            while "<" in path:
                start = path.index("<")
                path = path[:start] + "x" + path[path.index(">", start) + 1 :]
            name = f"{namespace}{entry.name}" if entry.name else path
            yield name, "/" + path


@pytest.mark.django_db
def test_every_non_public_url_sends_anonymous_users_to_sign_in(client):
    login_url = reverse("accounts:login")
    checked = 0
    for name, path in _project_paths():
        if name in PUBLIC_URL_NAMES:
            continue
        response = client.get(path)
        assert response.status_code == 302, f"{name} ({path}) answered {response.status_code}"
        assert response.url.startswith(login_url), f"{name} redirected to {response.url}"
        checked += 1
    assert checked >= 3  # home, two-factor, sign-out at least


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    sorted(
        PUBLIC_URL_NAMES
        - {
            "accounts:password_reset_confirm",
            "open_data:oruk_service",
            "referrals:provider_link",
            "outcomes:self_complete",
            # A person's plan: a signed token (tests/outcomes/plans/test_person_page.py).
            "outcomes:plan_page",
            "outcomes:plan_easy_read",
            # Need a valid signed token (tested in tests/nudges), or POST only.
            "nudges:answer",
            "nudges:options",
            "nudges:not_yet",
            "nudges:shortlist_page",  # a signed token (tests/referrals/test_shortlists.py)
            "nudges:notify_callback",
            "nudges:notify_replies",
            "core:metrics",
            "core:favicon",  # a redirect to the static icon (tests/core/test_public_pages.py)
            "accounts:invitation",  # needs a valid token (tests/accounts/test_invitations.py)
        }
    ),
)
def test_public_pages_open_without_signing_in(client, name):
    assert client.get(reverse(name)).status_code == 200


# url name -> roles that may open it (200); every other role gets 403.
ROLE_PAGES = {
    "core:home": {"clinician", "lead", "partnership", "provider", "admin"},
    "admin:index": {"admin"},
    **{
        f"dashboards:lead_{section}": {"lead"}
        for section in ("summary", "outcomes", "groups", "waits", "engagement", "activity")
    },
    **{
        f"dashboards:lead_{section}": {"lead"}
        for section in ("equity", "referrals", "trends", "plans")
    },
    "dashboards:lead_targets": {"lead"},
    "dashboards:partnership_dashboard": {"partnership"},
    "nudges:messages": {"lead", "admin"},
    "nudges:schedule": {"lead"},
    "nudges:outbox": {"lead", "admin"},
    "outcomes:risk_settings": {"lead"},
    "outcomes:measures_import_upload": {"lead"},
    # Accounts run by the services; the per-account pages (accounts:account_*) are in
    # tests/accounts/test_team.py, since they need an account to open.
    "accounts:team": {"lead"},
    "accounts:team_invite": {"lead"},
    "accounts:provider_accounts": {"partnership"},
    "accounts:provider_accounts_invite": {"partnership"},
    "referrals:tasks": {"clinician", "lead"},
    # The plan pages (outcomes:plan_*) need a person or a plan, and are checked for every
    # role in tests/outcomes/plans/test_permissions.py.
    # The session page itself needs an activity and a date: tests/referrals/inbox/test_register.py
    "referrals:inbox_register": {"provider"},
}


@pytest.mark.parametrize("role", ["clinician", "lead", "partnership", "provider", "admin"])
@pytest.mark.parametrize("url_name", sorted(ROLE_PAGES))
def test_each_role_reaches_only_its_own_pages(cast, client_for, role, url_name):
    response = client_for(cast[role]).get(reverse(url_name))
    expected = 200 if role in ROLE_PAGES[url_name] else 403
    assert response.status_code == expected


@pytest.mark.parametrize(
    ("role", "heading"),
    [
        ("clinician", "Help people get moving"),
        ("lead", "Riverside NHS Talking Therapies"),
        ("partnership", "Active Riverside"),
        ("provider", "Riverside Leisure Centre"),
        ("admin", "Administration"),
    ],
)
def test_home_page_says_who_you_are(cast, client_for, role, heading):
    user = cast[role]
    response = client_for(user).get(reverse("core:home"))
    content = response.content.decode()
    assert f"<h1>{heading}</h1>" in content
    assert escape(user.full_name) in content  # names such as O'Connor are escaped


def test_navigation_depends_on_role(cast, client_for):
    admin_page = client_for(cast["admin"]).get(reverse("core:home")).content.decode()
    clinician_page = client_for(cast["clinician"]).get(reverse("core:home")).content.decode()
    assert f'href="{reverse("admin:index")}"' in admin_page
    assert f'href="{reverse("admin:index")}"' not in clinician_page


def test_signed_in_non_admin_gets_403_from_admin_login_not_a_loop(cast, client_for):
    response = client_for(cast["lead"]).get("/admin/login/?next=/admin/")
    assert response.status_code == 403


def test_user_without_role_or_admin_rights_gets_403(db, client_for):
    from tests.factories import AdminFactory

    nobody = AdminFactory(is_superuser=False, is_staff=False)
    assert client_for(nobody).get(reverse("core:home")).status_code == 403


def test_home_refuses_post(cast, client_for):
    assert client_for(cast["clinician"]).post(reverse("core:home")).status_code == 405
