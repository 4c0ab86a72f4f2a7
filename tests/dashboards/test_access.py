"""Who reaches the dashboards: the service lead's is for service leads only, the area one for
Active Partnership staff only; everyone else gets 403, anonymous users the sign-in page."""

import pytest
from django.urls import reverse

from talkingmoves.audit.models import AccessLog

PAGES = {
    ("dashboards:lead_dashboard", ()): {"lead"},
    ("dashboards:lead_dashboard_csv", ("funnel",)): {"lead"},
    ("dashboards:lead_dashboard_csv", ("equity-ethnic-group",)): {"lead"},
    ("dashboards:lead_dashboard_csv", ("recovery",)): {"lead"},
    ("dashboards:lead_dashboard_csv", ("difference",)): {"lead"},
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
    response = client_for(cast["lead"], verified=False).get(reverse("dashboards:lead_dashboard"))
    assert response.status_code == 302


@pytest.mark.parametrize("name", ["dashboards:lead_dashboard", "dashboards:partnership_dashboard"])
def test_dashboards_refuse_post(cast, client_for, name):
    role = "lead" if name == "dashboards:lead_dashboard" else "partnership"
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
        ("lead", "Dashboard", "dashboards:lead_dashboard"),
        ("partnership", "Dashboard", "dashboards:partnership_dashboard"),
    ],
)
def test_navigation_links_to_the_dashboard(cast, client_for, role, label, name):
    page = client_for(cast[role]).get(reverse("core:home")).content.decode()
    assert f'href="{reverse(name)}"' in page


def test_clinicians_have_no_dashboard_link(cast, client_for):
    page = client_for(cast["clinician"]).get(reverse("core:home")).content.decode()
    assert reverse("dashboards:lead_dashboard") not in page
