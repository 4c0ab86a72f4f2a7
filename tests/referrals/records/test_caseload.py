"""The caseload: whose people, filters, search, and a pinned number of queries."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from referrals.models import Attendance, Referral
from referrals.records import selectors as record_selectors
from tests.factories import ClinicianFactory
from tests.providers.factories import ActivityFactory
from tests.referrals.factories import ReferralFactory, ScreeningFactory, ServiceUserFactory

NOW = "2026-03-30 10:00Z"
CASELOAD = reverse("referrals:caseload")


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _person(clinician, name, **kwargs):
    return ServiceUserFactory(
        service=clinician.organisation, assigned_clinician=clinician, family_name=name, **kwargs
    )


def _referral(person, activity, status, *, sent_days_ago=None, answered_days_ago=None):
    now = timezone.now()
    return ReferralFactory(
        service_user=person,
        activity=activity,
        status=status,
        sent_at=now - timedelta(days=sent_days_ago) if sent_days_ago is not None else None,
        answered_at=now - timedelta(days=answered_days_ago)
        if answered_days_ago is not None
        else None,
        created_at=now - timedelta(days=sent_days_ago or 0),
    )


@pytest.fixture
def people(clinician, activity):
    """One person per situation, named for it."""
    colleague = ClinicianFactory(organisation=clinician.organisation)
    cast = {
        "none": _person(clinician, "Noreferral"),
        "waiting": _person(clinician, "Waiting"),
        "declined": _person(clinician, "Declined"),
        "noshow": _person(clinician, "Noshow"),
        "recent": _person(clinician, "Recentaccept"),
        "went": _person(clinician, "Attended"),
        "screen": _person(clinician, "Screening"),
        "colleague": _person(colleague, "Colleagues"),
    }
    _referral(cast["waiting"], activity, "sent", sent_days_ago=4)
    _referral(cast["declined"], activity, "declined", sent_days_ago=10, answered_days_ago=8)
    _referral(cast["noshow"], activity, "accepted", sent_days_ago=30, answered_days_ago=22)
    _referral(cast["recent"], activity, "accepted", sent_days_ago=10, answered_days_ago=5)
    went = _referral(cast["went"], activity, "attending", sent_days_ago=30, answered_days_ago=25)
    Attendance.objects.create(referral=went, session_date=timezone.localdate(), status="attended")
    ScreeningFactory(service_user=cast["screen"], advice_needed=True)
    _referral(cast["colleague"], activity, "declined", sent_days_ago=3, answered_days_ago=1)
    return cast


def _names(user, **filters):
    return {p.family_name for p in record_selectors.caseload(user, **filters)}


def test_clinician_sees_own_people_by_default(client_for, clinician, people):
    page = client_for(clinician).get(CASELOAD).content.decode()
    assert "Your service users" in page
    assert "Waiting" in page and "Colleagues" not in page


def test_lead_sees_whole_service(client_for, lead, people):
    page = client_for(lead).get(CASELOAD).content.decode()
    assert "Waiting" in page and "Colleagues" in page


def test_clinician_filter(client_for, lead, clinician, people):
    response = client_for(lead).get(CASELOAD, {"clinician": str(clinician.public_id)})
    page = response.content.decode()
    assert "Waiting" in page and "Colleagues" not in page
    # The chosen colleague is the one option shown chosen, though the lead's default is all.
    assert page.count(" selected>") == 2  # with "Everyone" in the show filter
    assert f'<option value="{clinician.public_id}" selected>' in page
    everyone = client_for(clinician).get(CASELOAD, {"clinician": "all"}).content.decode()
    assert "Colleagues" in everyone
    assert '<option value="all" selected>Everyone in the service</option>' in everyone


def test_other_service_never_listed(client_for, other_clinician, people):
    page = client_for(other_clinician).get(CASELOAD, {"clinician": "all"}).content.decode()
    assert "Waiting" not in page


def test_needs_attention(clinician, people):
    assert _names(clinician, clinician=clinician, show="attention") == {
        "Declined",
        "Noshow",
        "Screening",
    }


def test_needs_attention_tag_shown(client_for, clinician, people):
    page = client_for(clinician).get(CASELOAD, {"show": "attention"}).content.decode()
    assert page.count("Needs attention</strong>") == 3


def test_no_referral_yet(clinician, people):
    assert _names(clinician, clinician=clinician, show="no_referral") == {
        "Noreferral",
        "Screening",
    }


def test_referral_waiting(clinician, people):
    assert _names(clinician, show="waiting") == {"Waiting"}


def test_a_newer_referral_clears_a_decline(clinician, people, activity):
    later = ActivityFactory(
        provider=activity.provider,
        venue=activity.venue,
        takes_referrals=True,
        referral_email="x@example.org",
    )
    ReferralFactory(
        service_user=people["declined"],
        activity=later,
        status="draft",
        created_at=timezone.now(),
    )
    assert "Declined" not in _names(clinician, show="attention")


@pytest.mark.parametrize(
    "q,expected",
    [
        ("waiting", {"Waiting"}),
        ("WAIT", {"Waiting"}),
        ("987 654 3210", None),
        ("9876543210", None),
        ("987654", None),
    ],
)
def test_search(client_for, clinician, people, q, expected):
    target = people["waiting"]
    if expected is None:
        target.nhs_number = "9876543210"
        target.save()
        others = [p for k, p in people.items() if k != "waiting"]
        for other in others:
            other.nhs_number = "4000000632"
            other.save()
        expected = {"Waiting"}
    assert _names(clinician, q=q, clinician=None) == expected
    page = client_for(clinician).get(CASELOAD, {"q": q, "clinician": "all"}).content.decode()
    assert reverse("referrals:record", args=[target.public_id]) in page


def test_search_by_full_name(clinician, people):
    people["waiting"].given_name = "Alan"
    people["waiting"].save()
    assert _names(clinician, q="alan waiting") == {"Waiting"}


def test_row_shows_nhs_number_status_and_days(client_for, clinician, people):
    people["waiting"].nhs_number = "9876543210"
    people["waiting"].save()
    page = client_for(clinician).get(CASELOAD, {"show": "waiting"}).content.decode()
    assert "987 654 3210" in page
    assert ">Sent</strong>" in page and "Sent 4 days ago" in page


def test_bad_filter_falls_back(client_for, clinician, people):
    response = client_for(clinician).get(CASELOAD, {"show": "nonsense", "clinician": "x"})
    assert response.status_code == 200
    assert "Waiting" in response.content.decode()


def test_paginated_by_25(client_for, clinician):
    for n in range(30):
        _person(clinician, f"Person{n:02d}")
    client = client_for(clinician)
    first = client.get(CASELOAD).content.decode()
    assert first.count('href="/service-users/') - first.count("/add/") >= 25
    assert "Page 2 of 2" in first
    second = client.get(CASELOAD, {"page": 2}).content.decode()
    assert "Person29" in second and "Person00" not in second


def test_query_count_is_pinned(
    client_for, clinician, lead, activity, django_assert_max_num_queries
):
    for n in range(30):
        person = _person(clinician, f"Person{n:02d}")
        _referral(person, activity, "declined", sent_days_ago=n, answered_days_ago=0)
        ScreeningFactory(service_user=person, advice_needed=True)
    for user in (clinician, lead):
        client = client_for(user)
        client.get(CASELOAD)  # warm the session
        # Session, user, two-factor device and the session's idle-timeout write (3) are
        # the framework's; ours: colleagues, count, who comes first (one UNION), the page's
        # ids in name order, the page's people. None grows with the rows.
        with django_assert_max_num_queries(11):
            response = client.get(CASELOAD, {"show": "attention"})
        assert response.content.decode().count("Needs attention</strong>") == 25


def test_needs_attention_constant():
    assert timedelta(days=21) == record_selectors.NO_ATTENDANCE_AFTER


def test_accepted_21_days_exactly_needs_attention(clinician, activity):
    person = _person(clinician, "Exactly")
    _referral(person, activity, "accepted", sent_days_ago=25, answered_days_ago=21)
    assert _names(clinician, show="attention") == {"Exactly"}
    assert Referral.objects.count() == 1


def test_search_without_clinician_keeps_the_default_selected(client_for, clinician, people):
    page = client_for(clinician).get(CASELOAD, {"q": "wait"}).content.decode()
    assert f'value="{clinician.public_id}" selected' in page


def test_record_page_agrees_with_the_caseload(client_for, clinician, people):
    flagged = _names(clinician, show="attention")
    client = client_for(clinician)
    for person in people.values():
        page = client.get(reverse("referrals:record", args=[person.public_id])).content.decode()
        shown = "</span>Needs attention</span>" in page
        assert shown == (person.family_name in flagged), person.family_name
    page = client.get(reverse("referrals:record", args=[people["noshow"].public_id]))
    assert "21 days after it was accepted" in page.content.decode()
