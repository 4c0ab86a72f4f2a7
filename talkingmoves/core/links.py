"""reverse() once per URL name, not once per link: a page of 25 rows with two links each
reversed 50 URLs through the resolver. URLs whose arguments are UUIDs are reversed once
with placeholder ids and the real ids put in their place; the result is the same string."""

import uuid
from functools import lru_cache

from django.urls import get_resolver, get_script_prefix, get_urlconf, reverse

PLACEHOLDERS = tuple(uuid.UUID(int=n) for n in range(1, 4))


@lru_cache(maxsize=512)
def _pattern(name: str, arguments: int, prefix: str, resolver) -> str:
    return reverse(name, args=PLACEHOLDERS[:arguments])


def url(name: str, *public_ids: uuid.UUID | str) -> str:
    """reverse(name, args=public_ids), for URLs with no arguments or only UUID ones."""
    # The prefix and the resolver in the key: a test's own ROOT_URLCONF gets its own entry.
    urlconf = get_urlconf()
    pattern = _pattern(name, len(public_ids), get_script_prefix(), get_resolver(urlconf))
    for placeholder, public_id in zip(PLACEHOLDERS, public_ids, strict=False):
        pattern = pattern.replace(str(placeholder), str(public_id), 1)
    return pattern
