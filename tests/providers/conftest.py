import pytest

from tests.providers.openactive_fixtures.feeds import FeedServer


@pytest.fixture
def server():
    """A local HTTP server for RPDE feed pages (see openactive_fixtures/feeds.py)."""
    with FeedServer() as running:
        yield running


@pytest.fixture
def uploads_in_tmp(settings, tmp_path):
    """Uploaded spreadsheets go to the test's own folder."""
    settings.DATA_DIR = tmp_path
