"""talkingmoves.core.links.url() is reverse() without the resolver on every call: the same
string for URLs with no arguments, one UUID or two."""

import uuid

from django.urls import reverse

from talkingmoves.core.links import url


def test_the_same_as_reverse():
    person, activity = uuid.uuid4(), uuid.uuid4()
    assert url("core:home") == reverse("core:home")
    assert url("referrals:record", person) == reverse("referrals:record", args=[person])
    assert url("referrals:refer", person, activity) == reverse(
        "referrals:refer", args=[person, activity]
    )
    assert url("referrals:refer", str(activity), person) == reverse(
        "referrals:refer", args=[activity, person]
    )


def test_each_id_lands_in_its_own_place():
    first, second = uuid.uuid4(), uuid.uuid4()
    assert url("referrals:refer", first, second) != url("referrals:refer", second, first)
