"""The inbox pages by cursor (issue 14): Next and Previous walk a tab newest first without
skipping or repeating a referral, a cursor that is not ours gives the first page, and the tab
lists agree with the partial indexes the pages read."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from referrals.inbox import selectors
from referrals.models import Referral
from talkingmoves.core import keyset
from tests.keyset_links import link
from tests.referrals.factories import ReferralFactory

INBOX = reverse("referrals:inbox")


@pytest.fixture
def sixty(activity):
    """Sixty sent referrals, a minute apart, and two sent in the same instant (a tie)."""
    start = timezone.now() - timedelta(days=3)
    referrals = []
    for n in range(58):
        with time_machine.travel(start + timedelta(minutes=n), tick=False):
            referrals.append(ReferralFactory(sent=True, activity=activity))
    with time_machine.travel(start + timedelta(hours=2), tick=False):
        referrals += ReferralFactory.create_batch(2, sent=True, activity=activity)
    return referrals


@pytest.fixture
def few(activity):
    return ReferralFactory.create_batch(3, sent=True, activity=activity)


def _ids(html):
    return [
        part.split("/")[0]
        for part in html.split(INBOX)[1:]
        if part[:36].count("-") == 4 and part[36] == "/"
    ]


def test_next_and_previous_walk_the_tab_newest_first(client_for, provider_staff, sixty):
    client = client_for(provider_staff)
    seen, query, pages = [], "", []
    while True:
        html = client.get(f"{INBOX}?{query}").content.decode()
        pages.append((query, _ids(html)))
        seen += _ids(html)
        query = link(html, "next")
        if query is None:
            break
    newest_first = sorted(sixty, key=lambda r: (r.sent_at, r.public_id), reverse=True)
    assert seen == [str(r.public_id) for r in newest_first]
    assert [len(ids) for _, ids in pages] == [25, 25, 10]
    # Previous from the last page is the middle page again, and from there the first.
    last = client.get(f"{INBOX}?{pages[2][0]}").content.decode()
    middle = client.get(f"{INBOX}?{link(last, 'prev')}").content.decode()
    assert _ids(middle) == pages[1][1]
    first = client.get(f"{INBOX}?{link(middle, 'prev')}").content.decode()
    assert _ids(first) == pages[0][1] and link(first, "prev") is None


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        "!!!",
        keyset.encode(["not a date", "not a uuid"]),
        keyset.encode(["2026-01-01T00:00:00", "6f1c1bde-8a0b-4a43-b2b5-6a1b1d2f4b11"]),  # naive
        keyset.encode(["2026-01-01T00:00:00+00:00"]),  # one value short
        keyset.encode({"sent_at": 1}),
        "A" * 5000,
    ],
)
@pytest.mark.parametrize("direction", ["after", "before"])
def test_a_cursor_that_is_not_ours_gives_the_first_page(
    client_for, provider_staff, few, cursor, direction
):
    client = client_for(provider_staff)
    first = _ids(client.get(INBOX).content.decode())
    response = client.get(INBOX, {direction: cursor})
    assert response.status_code == 200
    assert _ids(response.content.decode()) == first


def test_a_cursor_past_the_end_starts_again(client_for, provider_staff, few):
    oldest = min(few, key=lambda r: (r.sent_at, r.public_id))
    cursor = keyset.encode([oldest.sent_at.isoformat(), str(oldest.public_id)])
    client = client_for(provider_staff)
    response = client.get(INBOX, {"after": cursor})
    assert _ids(response.content.decode()) == _ids(client.get(INBOX).content.decode())


def test_a_cursor_never_widens_what_a_provider_sees(client_for, provider_staff, few):
    # Someone else's referrals, newer than all of ours: no cursor brings them in.
    theirs = ReferralFactory.create_batch(3, sent=True)
    tomorrow = (timezone.now() + timedelta(days=1)).isoformat()
    cursor = keyset.encode([tomorrow, str(theirs[0].public_id)])
    html = client_for(provider_staff).get(INBOX, {"after": cursor}).content.decode()
    assert not {str(r.public_id) for r in theirs} & set(_ids(html))


@pytest.mark.parametrize(
    ("role", "expected"),
    [("clinician", 403), ("lead", 403), ("partnership", 403), ("provider", 200), ("admin", 403)],
)
def test_paged_inbox_permissions(cast, client_for, role, expected):
    cursor = keyset.encode([timezone.now().isoformat(), "6f1c1bde-8a0b-4a43-b2b5-6a1b1d2f4b11"])
    assert client_for(cast[role]).get(INBOX, {"after": cursor}).status_code == expected


def test_anonymous_with_a_cursor_is_sent_to_sign_in(client):
    response = client.get(INBOX, {"after": "garbage"})
    assert response.status_code == 302 and response["Location"].startswith(
        reverse("accounts:login")
    )


def test_tab_counts_stop_at_the_cap(client_for, provider_staff, few, monkeypatch):
    monkeypatch.setattr(selectors, "COUNT_CAP", 2)
    html = client_for(provider_staff).get(INBOX).content.decode()
    assert "New (2+)" in html
    monkeypatch.setattr(selectors, "COUNT_CAP", 3)
    assert "New (3)" in client_for(provider_staff).get(INBOX).content.decode()


def test_the_tab_lists_are_the_partial_indexes_conditions():
    indexes = {index.name: index for index in Referral._meta.indexes}
    for tab, (_label, statuses) in selectors.TABS.items():
        condition = dict(indexes[f"referral_inbox_{tab}"].condition.children)
        assert condition["status__in"] == list(statuses)
        assert condition["kind"] == Referral.Kind.REFER
