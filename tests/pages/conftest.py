"""Pages whose markup moved from a template into Python (issue 14 item 2) are rendered twice
on the same data: with the templates main had (tests/pages/main_templates, copied verbatim)
and with today's. A user must get the same HTML either way."""

import re
from pathlib import Path

import pytest

MAIN_TEMPLATES = Path(__file__).parent / "main_templates"

# Per-request values: the masked CSRF token and the CSP nonce differ between two requests.
_PER_REQUEST = re.compile(r'(name="csrfmiddlewaretoken" value=|nonce=)"[^"]*"')


def comparable(html: bytes | str) -> str:
    text = html.decode() if isinstance(html, bytes) else html
    return _PER_REQUEST.sub(r'\1"-"', text)


@pytest.fixture
def render_both(settings):
    """render_both(get) -> (main's HTML, today's HTML): `get()` requests the page once with
    main's templates in front of today's and once without."""
    today = settings.TEMPLATES

    def render(get):
        settings.TEMPLATES = [{**today[0], "DIRS": [MAIN_TEMPLATES, *today[0]["DIRS"]]}]
        before = get()
        settings.TEMPLATES = today
        after = get()
        assert before.status_code == after.status_code == 200
        # The comparison is not vacuous: main's copy was used for one and not the other.
        assert _used_main(before) and not _used_main(after)
        return comparable(before.content), comparable(after.content)

    return render


@pytest.fixture
def render_packs():
    """render_packs(get) -> (the reference form pack's HTML, today's): `get()` requests the
    page once with the pack as it was at 859ef1b (tests/forms/reference_pack) and once with
    today's, so each form on it is rendered by both."""
    from tests.forms.reference_pack import reference_pack

    def render(get):
        with reference_pack():
            before = get()
        after = get()
        assert before.status_code == after.status_code == 200
        return comparable(before.content), comparable(after.content)

    return render


def _used_main(response) -> bool:
    return any(str(MAIN_TEMPLATES) in str(t.origin.name) for t in response.templates)
