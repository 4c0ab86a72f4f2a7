"""Who reaches the dashboards: the service lead's is for service leads only, the area one for
Active Partnership staff only; everyone else gets 403, anonymous users the sign-in page."""

import pytest
from django.urls import reverse

from talkingmoves.audit.models import AccessLog

SECTIONS = ["summary", "outcomes", "groups", "waits", "engagement", "activity", "equity"]
SECTIONS += ["referrals", "trends", "plans"]
PAGES = {
    **{(f"dashboards:lead_{section}", ()): {"lead"} for section in SECTIONS},
    ("dashboards:lead_dashboard_csv", ("waits",)): {"lead"},
    ("dashboards:lead_dashboard_csv", ("recovery-by-group",)): {"lead"},
    ("dashboards:lead_dashboard_csv", ("trends",)): {"lead"},
    ("dashboards:lead_dashboard_csv", ("funnel",)): {"lead"},
    ("dashboards:lead_dashboard_csv", ("equity-ethnic-group",)): {"lead"},
    ("dashboards:lead_dashboard_csv", ("recovery",)): {"lead"},
    ("dashboards:lead_dashboard_csv", ("difference",)): {"lead"},
    ("dashboards:lead_dashboard_csv", ("plan-check-ins",)): {"lead"},
    ("dashboards:lead_dashboard_csv", ("plan-goals",)): {"lead"},
    ("dashboards:lead_dashboard_csv", ("plan-minutes",)): {"lead"},
    ("dashboards:lead_targets", ()): {"lead"},
    ("dashboards:partnership_dashboard", ()): {"partnership"},
    ("dashboards:partnership_dashboard_csv", ("provision-gaps",)): {"partnership"},
}
ROLES = ["clinician", "other_clinician", "lead", "partnership", "provider", "admin"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "args"), sorted(PAGES))
def test_each_role_reaches_only_its_dashboard(cast, client_for, role, name, args):
    response = client_for(cast[role]).get(reverse(name, args=args))
    assert response.status_code == (200 if role in PAGES[(name, args)] else 403)


@pytest.mark.parametrize(("name", "args"), sorted(PAGES))
def test_anonymous_users_are_sent_to_sign_in(db, client, name, args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_a_lead_without_two_factor_is_sent_to_verify(cast, client_for):
    response = client_for(cast["lead"], verified=False).get(reverse("dashboards:lead_summary"))
    assert response.status_code == 302
    assert not response.url.startswith(reverse("dashboards:lead_summary"))


@pytest.mark.parametrize("role", ROLES)
def test_the_old_address_sends_leads_to_the_summary(cast, client_for, role):
    query = "start-day=1&start-month=4&start-year=2025&end-day=30&end-month=6&end-year=2025"
    response = client_for(cast[role]).get(f"{reverse('dashboards:lead_dashboard')}?{query}")
    if role == "lead":
        assert response.status_code == 302
        assert response.url == f"{reverse('dashboards:lead_summary')}?{query}"
    else:
        assert response.status_code == 403


def test_the_old_address_sends_anonymous_users_to_sign_in(db, client):
    response = client.get(reverse("dashboards:lead_dashboard"))
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    "name", [*(f"dashboards:lead_{s}" for s in SECTIONS), "dashboards:partnership_dashboard"]
)
def test_dashboards_refuse_post(cast, client_for, name):
    role = "lead" if name.startswith("dashboards:lead") else "partnership"
    assert client_for(cast[role]).post(reverse(name)).status_code == 405


def test_unknown_table_is_404_and_not_logged(cast, client_for):
    client = client_for(cast["lead"])
    assert client.get(reverse("dashboards:lead_dashboard_csv", args=["names"])).status_code == 404
    # The area's tables are not the service's.
    url = reverse("dashboards:lead_dashboard_csv", args=["provision-gaps"])
    assert client.get(url).status_code == 404
    assert not AccessLog.objects.filter(action=AccessLog.Action.EXPORT).exists()


@pytest.mark.parametrize(
    ("role", "label", "name"),
    [
        ("lead", "Dashboard", "dashboards:lead_summary"),
        ("partnership", "Dashboard", "dashboards:partnership_dashboard"),
    ],
)
def test_navigation_links_to_the_dashboard(cast, client_for, role, label, name):
    page = client_for(cast[role]).get(reverse("core:home")).content.decode()
    assert f'href="{reverse(name)}"' in page


def test_clinicians_have_no_dashboard_link(cast, client_for):
    page = client_for(cast["clinician"]).get(reverse("core:home")).content.decode()
    assert reverse("dashboards:lead_dashboard") not in page
