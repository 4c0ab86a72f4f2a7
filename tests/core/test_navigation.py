"""The header marks where the user is: the page itself, or the part of the site it is in."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _marked(page: str) -> dict[str, str]:
    """{label: aria-current value} for the header's marked items."""
    found = re.findall(r'aria-current="(page|true)"><strong[^>]*>([^<]+)</strong>', page)
    return {label: value for value, label in found}


def test_the_dashboard_is_marked_on_every_section(lead, client_for):
    client = client_for(lead)
    summary = client.get(reverse("dashboards:lead_summary")).content.decode()
    waits = client.get(reverse("dashboards:lead_waits")).content.decode()
    assert _marked(summary) == {"Dashboard": "page"}
    assert _marked(waits) == {"Dashboard": "true"}


def test_the_longest_matching_item_wins(partnership_staff, client_for):
    page = client_for(partnership_staff).get(reverse("providers:provider_list"))
    assert _marked(page.content.decode()) == {"Providers": "page"}
    new = client_for(partnership_staff).get(reverse("providers:provider_create"))
    assert _marked(new.content.decode()) == {"Providers": "true"}


def test_home_marks_only_itself(lead, client_for):
    page = client_for(lead).get(reverse("core:home")).content.decode()
    assert _marked(page) == {"Home": "page"}
