"""The lead dashboard's figures are kept for a few minutes, and the default period is kept
ready by a beat task."""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from outcomes.dashboards.lead import figures as dashboard_figures
from outcomes.dashboards.periods import default_period
from outcomes.dashboards.tasks import refresh_lead_dashboards
from tests.referrals.factories import ReferralFactory


@pytest.fixture
def cached(settings):
    settings.DASHBOARD_CACHE_SECONDS = 600
    caches["dashboards"].clear()


def refer(clinician):
    ReferralFactory(
        sent=True,
        service_user__service=clinician.organisation,
        service_user__assigned_clinician=clinician,
    )


@pytest.mark.django_db
def test_figures_are_kept_then_refreshed_by_the_beat_task(cached, clinician, service):
    period = default_period()
    refer(clinician)
    first = dashboard_figures.lead_figures(service.pk, period)
    assert first.funnel.referred == 1
    refer(clinician)
    # Within the cache's life the page shows the figures it computed, with their time.
    kept = dashboard_figures.lead_figures(service.pk, period)
    assert kept.funnel.referred == 1
    assert kept.computed_at == first.computed_at
    assert refresh_lead_dashboards() >= 1
    assert dashboard_figures.lead_figures(service.pk, period).funnel.referred == 2


@pytest.mark.django_db
def test_without_a_cache_figures_are_live(settings, clinician, service):
    settings.DASHBOARD_CACHE_SECONDS = 0
    period = default_period()
    refer(clinician)
    assert dashboard_figures.lead_figures(service.pk, period).funnel.referred == 1
    refer(clinician)
    assert dashboard_figures.lead_figures(service.pk, period).funnel.referred == 2
    assert refresh_lead_dashboards() == 0


@pytest.mark.django_db
def test_page_says_when_its_figures_were_computed(cached, client_for, lead, clinician):
    refer(clinician)
    page = client_for(lead).get("/outcomes/dashboard/service/summary/").content.decode()
    assert "Figures as of" in page


@pytest.mark.django_db
def test_a_section_computes_and_keeps_only_its_parts(cached, clinician, service):
    period = default_period()
    refer(clinician)
    outcomes_only = dashboard_figures.lead_figures(service.pk, period, ("outcomes",))
    assert outcomes_only.outcomes is not None
    assert (outcomes_only.funnel, outcomes_only.equity, outcomes_only.providers) == (None,) * 3
    refer(clinician)
    # The funnel was not kept by the outcomes page, so it is computed now, with both referrals.
    both = dashboard_figures.lead_figures(service.pk, period, ("funnel", "outcomes"))
    assert both.funnel.referred == 2
    assert both.computed_at == outcomes_only.computed_at  # the oldest part shown


@pytest.mark.django_db
def test_the_summary_a_lead_opens_first_is_read_from_the_kept_figures(
    cached, client_for, lead, clinician
):
    """Its waits, uptake and completeness read the period's episodes and referral copies:
    seconds at a large service, so the beat keeps them with the rest."""
    refer(clinician)
    assert refresh_lead_dashboards() >= 1
    client = client_for(lead)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/outcomes/dashboard/service/summary/")
    assert page.status_code == 200
    read = " ".join(q["sql"] for q in queries.captured_queries)
    assert "outcomes_episode" not in read and "outcomes_referralfact" not in read
