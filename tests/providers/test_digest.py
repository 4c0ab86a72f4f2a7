from datetime import timedelta

from django.utils import timezone

from providers.digest import partnership_digest_send, send_all_digests
from providers.models import Activity, OpenActiveFeed
from talkingmoves.notify.models import StoredMessage
from tests.providers.factories import ActivityFactory, ProviderFactory, VenueFactory


def _stale_activity(partnership):
    activity = ActivityFactory(
        venue=VenueFactory(provider=ProviderFactory(partnership=partnership))
    )
    Activity.objects.filter(pk=activity.pk).update(
        last_verified_at=timezone.now() - timedelta(days=200)
    )
    return activity


def test_weekly_digest_lists_stale_listings_and_failed_feeds(partnership, partnership_staff):
    _stale_activity(partnership)
    _stale_activity(partnership)
    OpenActiveFeed.objects.create(
        partnership=partnership,
        name="Leisure feed",
        url="https://feed.example/",
        last_status=OpenActiveFeed.Status.FAILED,
    )
    assert send_all_digests() == 1
    message = StoredMessage.objects.get(recipient=partnership_staff.email)
    assert message.template == "partnership_weekly_digest"
    assert message.personalisation["stale_count"] == 2
    assert message.personalisation["failed_feeds"] == "Leisure feed"
    assert message.personalisation["link"].endswith("/directory/?status=needs_checking")


def test_digest_is_sent_once_a_week(partnership, partnership_staff):
    _stale_activity(partnership)
    assert partnership_digest_send(partnership=partnership) is not None
    assert partnership_digest_send(partnership=partnership) is None
    assert StoredMessage.objects.count() == 1
    next_week = timezone.now() + timedelta(days=7)
    assert partnership_digest_send(partnership=partnership, now=next_week) is not None
    assert StoredMessage.objects.count() == 2


def test_nothing_to_report_sends_nothing(partnership, partnership_staff):
    ActivityFactory(venue=VenueFactory(provider=ProviderFactory(partnership=partnership)))
    assert send_all_digests() == 0
    assert not StoredMessage.objects.exists()


def test_digest_goes_only_to_that_partnerships_staff(partnership, partnership_staff, clinician):
    from tests.factories import PartnershipStaffFactory

    other = PartnershipStaffFactory()
    _stale_activity(partnership)
    send_all_digests()
    recipients = set(StoredMessage.objects.values_list("recipient", flat=True))
    assert recipients == {partnership_staff.email}
    assert other.email not in recipients
