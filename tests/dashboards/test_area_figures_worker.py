"""A period an Active Partnership officer opens that nobody had: the page asks the reports
worker once, says the figures are being worked out, and shows them once a real worker has
kept them. With no broker to ask, the request works them out itself."""

import logging

import pytest
from django.core.cache import caches
from django.db import connection
from django.urls import reverse
from kombu import pools

from talkingmoves.celery import app as project_app
from tests.dashboards.test_partnership import YEAR_2025
from tests.nudges.workers import (
    RedisServer,
    Worker,
    database_url,
    free_port,
    use_broker,
    wait_until,
)

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def broker(transactional_db, settings):
    settings.DASHBOARD_CACHE_SECONDS = 600
    caches["dashboards"].clear()
    server = RedisServer().start()
    use_broker(project_app, server.url)
    yield server
    use_broker(project_app, None)
    pools.reset()
    server.stop()
    caches["dashboards"].clear()


def queued_reports(server) -> int:
    with project_app.connection_for_write(server.url) as conn:
        return conn.default_channel.client.llen("reports")


def test_the_worker_is_asked_once_and_the_page_shows_what_it_kept(
    broker, tmp_path, partnership_staff, client_for
):
    client = client_for(partnership_staff)
    url = reverse("dashboards:partnership_dashboard")
    for _ in range(3):
        assert "are being worked out" in client.get(url, YEAR_2025).content.decode()
    assert queued_reports(broker) == 1  # asked once, not once per refresh

    worker = Worker(
        name="area-figures",
        database_url=database_url(connection.settings_dict),
        broker_url=broker.url,
        log_dir=tmp_path,
        settings_module="tests.dashboards.worker_settings",
        concurrency=1,
    )
    worker.start().wait_ready(project_app)
    try:
        html = wait_until(
            lambda: (
                (page := client.get(url, YEAR_2025).content.decode())
                and "Gaps and referrals as of" in page
                and page
            ),
            timeout=30,
            interval=0.3,
            message=lambda: worker.logfile.read_text() if worker.logfile.exists() else "",
        )
    finally:
        worker.kill()
    assert "Provision gaps" in html and "being worked out" not in html


def test_with_no_broker_the_request_works_the_figures_out(
    transactional_db, settings, partnership_staff, client_for, caplog
):
    settings.DASHBOARD_CACHE_SECONDS = 600
    caches["dashboards"].clear()
    use_broker(project_app, f"redis://127.0.0.1:{free_port()}/0")  # nothing listens there
    try:
        with caplog.at_level(logging.WARNING):
            html = (
                client_for(partnership_staff)
                .get(reverse("dashboards:partnership_dashboard"), YEAR_2025)
                .content.decode()
            )
    finally:
        use_broker(project_app, None)
        pools.reset()
        caches["dashboards"].clear()
    assert "Gaps and referrals as of" in html and "being worked out" not in html
    assert "Broker unavailable" in caplog.text
