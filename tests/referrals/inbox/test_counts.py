"""The tab counts read a provider's referrals by its organisation's activity ids (a plan
PostgreSQL gets right, where the provider join made it scan every activity): the same referrals
`referrals_for` gives the provider, and the pages show, never another organisation's, counted
with one read of the ids and one statement for all three tabs."""

from datetime import timedelta

import pytest
from django.utils import timezone

from referrals.inbox import selectors
from referrals.models import Referral
from tests.factories import ProviderOrganisationFactory, ProviderStaffFactory
from tests.providers.factories import ActivityFactory, ProviderFactory
from tests.referrals.factories import ReferralFactory

S = Referral.Status


def _referral(activity, status, *, sent=True, **fields):
    sent_at = timezone.now() - timedelta(days=1) if sent else None
    return ReferralFactory(activity=activity, status=status, sent_at=sent_at, **fields)


def _activity(**fields):
    return ActivityFactory(takes_referrals=True, referral_email="in@example.org", **fields)


@pytest.fixture
def ours(provider, provider_organisation):
    """Three activities across two of the organisation's provider listings."""
    second = ProviderFactory(organisation=provider_organisation)
    return [
        _activity(venue__provider=provider),
        _activity(venue__provider=provider),
        _activity(venue__provider=second),
    ]


@pytest.fixture
def mixed(ours):
    """What the provider sees in each tab, and what it must not: another organisation's
    referrals, a partnership listing's (no organisation), signposting, drafts, and a referral
    withdrawn before it was sent."""
    one, two, three = ours
    expected = {
        "new": [_referral(one, S.SENT), _referral(two, S.SENT), _referral(three, S.SENT)],
        "current": [_referral(two, S.ACCEPTED), _referral(three, S.ATTENDING)],
        "closed": [
            _referral(one, S.DECLINED),
            _referral(three, S.COMPLETED),
            _referral(three, S.WITHDRAWN),
        ],
    }
    theirs = _activity(venue__provider__organisation=ProviderOrganisationFactory())
    partnership_only = _activity()
    for activity in (theirs, partnership_only):
        for status in (S.SENT, S.ACCEPTED, S.DECLINED):
            _referral(activity, status)
    _referral(one, S.DRAFT, sent=False)
    _referral(two, S.WITHDRAWN, sent=False)
    _referral(three, S.SIGNPOSTED, sent=False, kind=Referral.Kind.SIGNPOST)
    return expected


def test_counts_are_the_organisations_referrals_in_each_tab(provider_staff, mixed):
    assert selectors.tab_counts(provider_staff) == {"new": 3, "current": 2, "closed": 3}


def test_another_organisation_counts_only_its_own(mixed):
    stranger = ProviderStaffFactory(organisation=ProviderOrganisationFactory())
    assert selectors.tab_counts(stranger) == {"new": 0, "current": 0, "closed": 0}
    (their_sent,) = Referral.objects.filter(
        status=S.SENT, activity__provider__organisation__isnull=False
    ).exclude(pk__in=[r.pk for r in mixed["new"]])
    neighbour = ProviderStaffFactory(organisation=their_sent.activity.provider.organisation)
    assert selectors.tab_counts(neighbour) == {"new": 1, "current": 1, "closed": 1}


@pytest.mark.parametrize("tab", list(selectors.TABS))
def test_each_page_shows_exactly_the_tabs_referrals(provider_staff, mixed, tab):
    page = selectors.inbox_page(provider_staff, tab, params={}, per_page=25)
    assert {r.pk for r in page} == {r.pk for r in mixed[tab]}


def test_the_counts_cap_each_tab_on_its_own(provider_staff, ours, monkeypatch):
    monkeypatch.setattr(selectors, "COUNT_CAP", 2)
    for activity in ours:
        _referral(activity, S.SENT)
    _referral(ours[0], S.ACCEPTED)
    _referral(ours[1], S.ACCEPTED)
    assert selectors.tab_counts(provider_staff) == {"new": None, "current": 2, "closed": 0}


def test_counting_reads_the_activity_ids_once_then_counts_in_one_statement(
    provider_staff, mixed, django_assert_num_queries
):
    with django_assert_num_queries(2) as captured:
        selectors.tab_counts(provider_staff)
    ids, counts = (query["sql"] for query in captured.captured_queries)
    assert '"providers_provider"."organisation_id"' in ids
    # The counts name the activities: no join to providers for PostgreSQL to misjudge.
    assert "providers_provider" not in counts and "providers_activity" not in counts
    assert counts.count("LIMIT") == len(selectors.TABS)
    # Each count in activity order, so PostgreSQL reads it by activity, never walking a whole
    # tab's index (hundreds of ms for an organisation with few referrals).
    assert counts.count('ORDER BY "referrals_referral"."activity_id"') == len(selectors.TABS)


def test_an_organisation_without_activities_counts_nothing_in_one_statement(
    db, django_assert_num_queries
):
    staff = ProviderStaffFactory(organisation=ProviderOrganisationFactory())
    with django_assert_num_queries(1):
        assert selectors.tab_counts(staff) == {"new": 0, "current": 0, "closed": 0}
    assert list(selectors.inbox_page(staff, "new", params={}, per_page=25)) == []
