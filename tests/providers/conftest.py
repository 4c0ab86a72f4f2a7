import pytest

from providers.models import OpenActiveFeed
from tests.providers.open_data_fixtures.openactive import FEED, HOST
from tests.providers.openactive_fixtures.feeds import FeedServer, session_series
from tests.providers.openactive_fixtures.harvesting import harvest, start_at


@pytest.fixture
def server():
    """A local HTTP server for RPDE feed pages (see openactive_fixtures/feeds.py)."""
    with FeedServer() as running:
        yield running


@pytest.fixture
def get(client, settings):
    """`get(url=FEED, **query)`: our OpenActive feed as a consumer reads it, on the public
    HOST its absolute identifiers are made on."""
    settings.ALLOWED_HOSTS = [HOST]

    def get(url=FEED, **query):
        return client.get(url, query, HTTP_HOST=HOST)

    return get


@pytest.fixture
def uploads_in_tmp(settings, tmp_path):
    """Uploaded spreadsheets go to the test's own folder."""
    settings.DATA_DIR = tmp_path


@pytest.fixture
def feed(partnership):
    """The partnership's OpenActive feed, not yet harvested: point it at `server` first."""
    return OpenActiveFeed.objects.create(
        partnership=partnership, name="Riverside sessions", url="http://127.0.0.1:1/unset"
    )


@pytest.fixture
def imported(feed, server):
    """A feed already harvested once: two pages, three series at one place, then the end."""
    start_at(
        feed,
        server.chain(
            "feed",
            [[session_series(1, 100), session_series(2, 101)], [session_series(3, 102)]],
        ),
    )
    run = harvest(feed)
    assert (run.status, run.added) == ("ok", 3)
    feed.refresh_from_db()
    return feed
