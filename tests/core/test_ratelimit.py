"""The public link pages' rate limit: shared store, per address and per link."""

import pytest
from django.test import RequestFactory, override_settings

from talkingmoves.core.ratelimit import client_address, link_rate_limited


@pytest.fixture
def rf():
    return RequestFactory()


@pytest.mark.parametrize(
    ("hops", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "10.0.0.1"),  # no proxy: the header is the client's to forge
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "198.51.100.7, 203.0.113.9", "203.0.113.9"),  # the first entry is forgeable
        (2, "198.51.100.7, 203.0.113.9", "198.51.100.7"),
        (2, "203.0.113.9", "10.0.0.1"),  # fewer entries than proxies: not trusted
    ],
)
def test_client_address_trusts_only_configured_proxies(rf, settings, hops, forwarded, expected):
    settings.TRUSTED_PROXY_HOPS = hops
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


@pytest.mark.django_db
def test_limit_counts_per_address_and_per_link(rf, settings):
    settings.TRUSTED_PROXY_HOPS = 0

    def limited(address, token):
        request = rf.get("/", REMOTE_ADDR=address)
        return link_rate_limited(request, scope="test", token=token, limit=2)

    assert [limited("10.0.0.1", f"t{n}") for n in range(3)] == [False, False, True]
    # Another address, fresh links: fine. Another address, a link already used twice: not.
    assert limited("10.0.0.2", "fresh") is False
    assert limited("10.0.0.3", "t0") is False  # t0 used once before
    assert limited("10.0.0.4", "t0") is True


def test_counts_live_in_redis_and_expire_with_the_window(rf, settings):
    from django.core.cache import caches

    from talkingmoves.core.ratelimit import WINDOW_SECONDS

    cache = caches["ratelimit"]
    link_rate_limited(rf.get("/", REMOTE_ADDR="10.0.0.1"), scope="ttl", token="t", limit=5)
    client = cache._cache.get_client(write=True)
    keys = list(client.scan_iter(match=cache.make_key("ttl:*")))
    assert len(keys) == 2  # the address and the link
    assert all(0 < client.ttl(key) <= WINDOW_SECONDS for key in keys)


def test_limit_fails_open_when_redis_is_down(rf, settings, caplog):
    # Nothing listens on port 1: the connection is refused at once.
    down = {**settings.CACHES["ratelimit"], "LOCATION": "redis://127.0.0.1:1/0"}
    request = rf.get("/", REMOTE_ADDR="10.0.0.1")
    with override_settings(CACHES={**settings.CACHES, "ratelimit": down}):
        results = [link_rate_limited(request, scope="down", token="t", limit=1) for _ in range(3)]
    assert results == [False, False, False]  # served, uncounted
    assert "Redis unavailable" in caplog.text
