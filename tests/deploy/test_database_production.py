"""The database in production: connections kept and checked, timeouts, PgBouncer in
transaction mode (no server-side cursors, no session-level locks), and the dashboards and
their CSV downloads reading a second real PostgreSQL database when DATABASE_REPLICA_URL
names one, with everything else (and everything while no replica is set) on the default."""

import subprocess
from pathlib import Path

import psycopg
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from outcomes.dashboards.db import analytics
from outcomes.dashboards.lead import selectors
from outcomes.dashboards.periods import default_period
from referrals.models import Referral
from talkingmoves.core.db_router import REPLICA, ReportingReplicaRouter, reporting_reads
from talkingmoves.settings.database import databases
from tests.providers.factories import ActivityFactory
from tests.referrals.factories import ReferralFactory, ServiceUserFactory

ROOT = Path(__file__).resolve().parents[2]
URL = "postgres://tm:secret@db.internal:5432/talkingmoves"
PRODUCT_PACKAGES = ["talkingmoves", "referrals", "outcomes", "providers"]


@pytest.fixture
def database_env(monkeypatch, tmp_path):
    """databases() read with only the given variables set."""

    def read(**variables):
        for name in (
            "DATABASE_URL",
            "DATABASE_REPLICA_URL",
            "DATABASE_CONN_MAX_AGE",
            "DATABASE_PGBOUNCER",
            "DATABASE_STATEMENT_TIMEOUT_MS",
            "DATABASE_CONNECT_TIMEOUT",
        ):
            monkeypatch.delenv(name, raising=False)
        for name, value in variables.items():
            monkeypatch.setenv(name, value)
        return databases(tmp_path)

    return read


def test_connections_are_kept_checked_and_time_out(database_env):
    default = database_env(DATABASE_URL=URL, DATABASE_CONN_MAX_AGE="300")["default"]
    assert (default["CONN_MAX_AGE"], default["CONN_HEALTH_CHECKS"]) == (300, True)
    assert default["OPTIONS"] == {"connect_timeout": 5}
    assert default["DISABLE_SERVER_SIDE_CURSORS"] is False
    assert database_env(DATABASE_URL=URL)["default"]["CONN_MAX_AGE"] == 60


def test_behind_pgbouncer_server_side_cursors_are_off(database_env):
    default = database_env(DATABASE_URL=URL, DATABASE_PGBOUNCER="1")["default"]
    assert default["DISABLE_SERVER_SIDE_CURSORS"] is True


def test_a_statement_timeout_is_sent_at_connect(database_env):
    default = database_env(DATABASE_URL=URL, DATABASE_STATEMENT_TIMEOUT_MS="30000")["default"]
    assert default["OPTIONS"]["options"] == "-c statement_timeout=30000"
    # A real server takes it.
    settings = connection.settings_dict
    with psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        host=settings["HOST"],
        port=settings["PORT"] or 5432,
        options=default["OPTIONS"]["options"],
    ) as other:
        assert other.execute("SHOW statement_timeout").fetchone() == ("30s",)


def test_pgbouncer_and_a_statement_timeout_together_are_refused(database_env):
    with pytest.raises(ImproperlyConfigured, match="DATABASE_STATEMENT_TIMEOUT_MS cannot"):
        database_env(
            DATABASE_URL=URL, DATABASE_PGBOUNCER="true", DATABASE_STATEMENT_TIMEOUT_MS="30000"
        )


def test_a_replica_is_configured_only_when_named(database_env):
    assert set(database_env(DATABASE_URL=URL)) == {"default"}
    configured = database_env(DATABASE_URL=URL, DATABASE_REPLICA_URL=URL.replace("db.", "ro."))
    assert configured[REPLICA]["HOST"] == "ro.internal"
    assert configured[REPLICA]["TEST"] == {"MIRROR": "default"}
    assert configured[REPLICA]["CONN_HEALTH_CHECKS"] is True


def test_the_product_takes_no_session_level_advisory_lock():
    session_level = r"pg_(try_)?advisory_lock(_shared)?\("
    found = subprocess.run(
        ["grep", "-rlE", "--include=*.py", session_level, *PRODUCT_PACKAGES],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert found.stdout == "", f"session-level advisory locks in {found.stdout}"


# --- The read replica: a second real database ---------------------------------------------


def _run_as_admin(sql: str) -> None:
    settings = connection.settings_dict
    with psycopg.connect(
        dbname="postgres",
        user=settings["USER"],
        host=settings["HOST"],
        port=settings["PORT"] or 5432,
        autocommit=True,
    ) as admin:
        admin.execute(sql)


@pytest.fixture
def make_replica(transactional_db):
    """make_replica() copies the default test database, as it is now, into a second
    PostgreSQL database and configures it as the replica; the copy then stays as it was, so
    what a page shows says which database it read."""
    name = f"{connection.settings_dict['NAME']}_replica"
    made = []

    def make():
        source = connection.settings_dict
        _run_as_admin(f'DROP DATABASE IF EXISTS "{name}"')
        _run_as_admin(f'CREATE DATABASE "{name}"')
        dump = subprocess.run(
            ["pg_dump", "--no-owner", "-h", source["HOST"], "-U", source["USER"], source["NAME"]],
            capture_output=True,
            check=True,
        )
        subprocess.run(
            ["psql", "-q", "-v", "ON_ERROR_STOP=1", "-h", source["HOST"], "-U", source["USER"],
             name],
            input=dump.stdout,
            capture_output=True,
            check=True,
        )  # fmt: skip
        connections.settings[REPLICA] = {**source, "NAME": name}
        # Connected here: the test case allows only the databases it knew at its start.
        connections[REPLICA].connect()
        made.append(name)
        return name

    yield make
    if made:
        connections[REPLICA].close()
        del connections[REPLICA]
        del connections.settings[REPLICA]
        _run_as_admin(f'DROP DATABASE IF EXISTS "{name}"')


def _sent_referrals(count, clinician, **referral):
    for _ in range(count):
        person = ServiceUserFactory(
            ready_to_refer=True, service=clinician.organisation, assigned_clinician=clinician
        )
        ReferralFactory(sent=True, service_user=person, **referral)


def _referred(service) -> int:
    with analytics():
        return selectors.referral_funnel(service.pk, default_period()).referred


def test_without_a_replica_everything_reads_the_default_database(service, clinician):
    _sent_referrals(2, clinician)
    with reporting_reads() as alias:
        assert alias == "default"
        assert ReportingReplicaRouter().db_for_read(Referral) == "default"
    assert ReportingReplicaRouter().db_for_read(Referral) is None
    assert _referred(service) == 2


def test_dashboards_and_downloads_read_the_replica(
    service, clinician, lead, partnership, partnership_staff, client_for, make_replica
):
    # Sent to an activity in the officer's area: an area with no activities has no referral
    # figures to read.
    activity = ActivityFactory(for_referrals=True, venue__provider__partnership=partnership)
    _sent_referrals(3, clinician, activity=activity)
    make_replica()
    _sent_referrals(2, clinician, activity=activity)  # on the default database only

    assert _referred(service) == 3  # what the replica holds
    with reporting_reads():
        referral = Referral.objects.first()
    assert referral._state.db == REPLICA
    assert ReportingReplicaRouter().db_for_write(Referral, instance=referral) == "default"
    assert Referral.objects.count() == 5  # everything else reads the default database

    pages = [
        (lead, reverse("dashboards:lead_summary")),
        (lead, reverse("dashboards:lead_dashboard_csv", args=["funnel"])),
        (partnership_staff, reverse("dashboards:partnership_dashboard")),
    ]
    for user, url in pages:
        browser = client_for(user)
        with (
            CaptureQueriesContext(connections[REPLICA]) as on_replica,
            CaptureQueriesContext(connections["default"]) as on_default,
        ):
            assert browser.get(url).status_code == 200
        # Referral figures come from the referrals or from the facts kept beside them.
        assert any(_reads_referral_figures(q["sql"]) for q in on_replica), url
        assert not any(_reads_referral_figures(q["sql"]) for q in on_default), url


def _reads_referral_figures(sql: str) -> bool:
    return any(
        table in sql
        for table in (
            "referrals_referral",
            "outcomes_referralfact",
            "outcomes_referraldayfact",
            "outcomes_referralmonthfact",
        )
    )


def test_while_a_transaction_is_open_reports_read_the_default_database(
    service, clinician, make_replica
):
    make_replica()
    with transaction.atomic():
        _sent_referrals(1, clinician)  # not committed: the replica could never see it
        with reporting_reads() as alias:
            assert alias == "default"
        assert _referred(service) == 1
