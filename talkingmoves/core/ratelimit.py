"""Limits on the public signed-link pages (message answers, questionnaires, local options):
enough for a person, too few to try many links.

Counts live in the "ratelimit" cache, which is a database table: shared by every web process,
and still there when Redis is not. Addresses and tokens are hashed before they are keys.
"""

import hashlib

from django.conf import settings
from django.core.cache import caches

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


def _over(scope: str, value: str, limit: int) -> bool:
    cache = caches["ratelimit"]
    key = f"{scope}:{hashlib.sha256(value.encode()).hexdigest()[:32]}"
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS)
        count = 1
    return count > limit


def link_rate_limited(request, *, scope: str, token: str, limit: int) -> bool:
    """Counts this request against the caller's address and against the link itself."""
    by_address = _over(f"{scope}:ip", client_address(request), limit)
    by_token = _over(f"{scope}:token", token, limit)
    return by_address or by_token
