"""Following the Previous / Next links of a page paged by cursor (talkingmoves/core/keyset.py)."""

import re
from html import unescape


def link(html: str, rel: str) -> str | None:
    """The query string of the page's `rel` ("next" or "prev") link, or None."""
    found = re.search(rf'href="\?([^"]*)" rel="{rel}"', html)
    return unescape(found.group(1)) if found else None
