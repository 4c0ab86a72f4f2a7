"""Dashboard tables: their rows, written in Python (outcomes/dashboards/table_html.py), give
the HTML main's template gave, on every section of the lead's dashboard and on the
partnership's, with figures, hidden counts and tables with nothing to show."""

import pytest
from django.urls import reverse

from tests.dashboards.conftest import cast_of_people  # noqa: F401 (a fixture)
from tests.dashboards.test_lead_sections import QUERY_2025, SECTIONS
from tests.dashboards.test_partnership import area_data  # noqa: F401 (a fixture)

pytestmark = pytest.mark.usefixtures("frozen")
QUERY_2024 = {**QUERY_2025, "start-year": "2024", "end-year": "2024"}


@pytest.mark.parametrize("section", [s for s in SECTIONS if s != "summary"])  # no tables
def test_lead_sections(cast_of_people, lead, client_for, render_both, section):  # noqa: F811
    client = client_for(lead)
    url = reverse(f"dashboards:lead_{section}")
    main, today = render_both(lambda: client.get(url, QUERY_2025))
    assert 'class="nhsuk-table__row" role="row">' in today
    assert main == today


@pytest.mark.parametrize("query", [QUERY_2025, QUERY_2024, {}])
def test_partnership_dashboard(area_data, partnership_staff, client_for, render_both, query):  # noqa: F811
    client = client_for(partnership_staff)
    url = reverse("dashboards:partnership_dashboard")
    main, today = render_both(lambda: client.get(url, query))
    assert "nhsuk-table__cell--numeric" in today
    assert main == today
