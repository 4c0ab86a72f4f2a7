"""The pages the outcomes issue sets speed targets for: the service lead's dashboard for one
year (target p95 under 500 ms) and a service-user record with 20 measures (under 150 ms)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench import dashboard_views
from bench.pages import _client, _ok
from bench.seed_outcomes import LEAD_EMAIL, record_person
from outcomes.dashboards.lead.figures import refresh_default_periods
from outcomes.dashboards.periods import default_period


def run(timed) -> None:
    lead = _client(LEAD_EMAIL)
    clinician = _client("bench.clinician@example.nhs.uk")
    period = default_period()
    dashboard = f"{reverse('dashboards:lead_summary')}?{period.query}"
    with CaptureQueriesContext(connection) as queries:
        _ok(lead.get(dashboard))
    print(f"lead dashboard: {len(queries)} queries")
    # Computed on every request, as with a period nobody has opened in the last minutes,
    # for each kind of period and a download, beside the SQL each request ran ...
    dashboard_views.run()
    # ... and as a lead opens it: beat keeps the default period's figures ready.
    refresh_default_periods()
    timed("lead dashboard, one year, as opened (figures kept)", lambda: _ok(lead.get(dashboard)))
    timed(
        "lead dashboard CSV: outcomes table, one year",
        lambda: _ok(lead.get(reverse("dashboards:lead_dashboard_csv", args=["outcomes"]), {})),
    )
    person = record_person()
    record = reverse("referrals:record", args=[person.public_id])
    timed("service-user record with 20 measures", lambda: _ok(clinician.get(record)))
