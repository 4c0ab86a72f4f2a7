"""Limits on the public signed-link pages (message answers, questionnaires, local options):
enough for a person, too few to try many links.

Counts live in the "ratelimit" cache, which is Redis: shared by every web process, one atomic
INCR per hit on a key that expires with its window (no query per hit). Addresses and tokens
are hashed before they are keys.

When Redis is down the limit fails OPEN: the request is served, uncounted, and a warning is
logged. The pages limited are a service user answering a message or filling in a
questionnaire; their tokens are signed, so the limit is a second line against guessing, and
failing closed would stop people answering during an outage (docs/adr/010-*.md).
Sign-in lockout does not depend on Redis (django-axes counts in PostgreSQL).
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 10 * 60


def client_address(request) -> str:
    """The caller's address. Behind a proxy (TRUSTED_PROXY_HOPS > 0), the address that the
    outermost trusted proxy saw, from X-Forwarded-For; a client cannot forge that entry."""
    hops = settings.TRUSTED_PROXY_HOPS
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if hops and forwarded:
        addresses = [part.strip() for part in forwarded.split(",") if part.strip()]
        if len(addresses) >= hops:
            return addresses[-hops]
    return request.META.get("REMOTE_ADDR", "")


def _count(key: str) -> int:
    cache = caches["ratelimit"]
    # SET NX with the expiry, then INCR (which keeps the expiry): both atomic in Redis.
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS)
        return 1


def _over(scope: str, value: str, limit: int) -> bool:
    key = f"{scope}:{hashlib.sha256(value.encode()).hexdigest()[:32]}"
    try:
        return _count(key) > limit
    except RedisError:
        logger.warning("Rate limit not counted for %s: Redis unavailable", scope)
        return False


def link_rate_limited(request, *, scope: str, token: str, limit: int) -> bool:
    """Counts this request against the caller's address and against the link itself."""
    by_address = _over(f"{scope}:ip", client_address(request), limit)
    by_token = _over(f"{scope}:token", token, limit)
    return by_address or by_token


def forget_all_counts() -> None:
    """Delete every count (tests, and an operator clearing a limit by hand)."""
    cache = caches["ratelimit"]
    if not isinstance(cache, RedisCache):  # a per-process cache
        cache.clear()
        return
    # Not cache.clear(): that is FLUSHDB, and the broker's queues may share the database.
    client = cache._cache.get_client(write=True)
    keys = list(client.scan_iter(match=cache.make_key("*")))
    if keys:
        client.delete(*keys)
