"""Erasure and withdrawn consent to share close everything a provider holds: open referrals
are withdrawn (with an event), pending messages about them are cancelled, and the provider
sees only "no longer needed". Referral history is append-only in the database."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from referrals.models import Referral, ReferralEvent
from referrals.nudges.models import Nudge
from referrals.pathway import services
from referrals.pathway.closing import ON_CONSENT_WITHDRAWN, ON_ERASURE
from referrals.pathway.history import BACKDATE, REDACT, history_change
from tests.referrals.factories import ReferralFactory, ServiceUserFactory

S = Referral.Status


@pytest.fixture
def second_activity(activity):
    from tests.providers.factories import ActivityFactory

    return ActivityFactory(
        venue=activity.venue,
        name="Gentle swim",
        takes_referrals=True,
        referral_email="referrals@riverside.example",
    )


@pytest.fixture
def open_referrals(person, activity, second_activity, provider_staff):
    sent = ReferralFactory(sent=True, service_user=person, activity=activity, goal="Walk daily")
    accepted = ReferralFactory(
        accepted=True,
        service_user=person,
        activity=second_activity,
        answered_by=provider_staff,
        needs_for_provider="Quiet lane please",
    )
    return sent, accepted


def pending(referral):
    return Nudge.objects.filter(referral=referral, status=Nudge.Status.SCHEDULED)


def test_erasure_closes_open_referrals_and_their_messages(
    client_for, lead, person, open_referrals, provider_staff
):
    sent, accepted = open_referrals
    assert pending(sent).exists() and pending(accepted).exists()
    signposted = ReferralFactory(signposted=True, service_user=person)
    response = client_for(lead).post(
        reverse("referrals:data_erase", args=[person.public_id]), {"confirm": "on"}
    )
    assert response.status_code == 302
    for referral in (sent, accepted):
        referral.refresh_from_db()
        assert referral.status == S.WITHDRAWN
        last = referral.events.last()
        assert (last.to_status, last.note, last.actor) == (S.WITHDRAWN, ON_ERASURE, lead)
        assert not pending(referral).exists()
    signposted.refresh_from_db()
    assert signposted.status == S.SIGNPOSTED  # shared nothing with anyone: left as it was
    assert not Nudge.objects.filter(service_user=person, status=Nudge.Status.SCHEDULED).exists()


def test_the_provider_sees_only_no_longer_needed(
    client_for, lead, person, open_referrals, provider_staff
):
    sent, accepted = open_referrals
    client_for(lead).post(
        reverse("referrals:data_erase", args=[person.public_id]), {"confirm": "on"}
    )
    client = client_for(provider_staff)
    for tab in ("new", "current"):
        html = client.get(reverse("referrals:inbox"), {"tab": tab}).content.decode()
        assert str(sent.public_id) not in html and str(accepted.public_id) not in html
    closed = client.get(reverse("referrals:inbox"), {"tab": "closed"}).content.decode()
    assert closed.count("No longer needed") >= 2
    page = client.get(reverse("referrals:inbox_referral", args=[accepted.public_id]))
    html = page.content.decode()
    assert "No longer needed" in html
    for detail in ("Erased", "Quiet lane please", "Withdrawn", person.email or "@"):
        assert detail not in html.split("<main", 1)[1]
    # Nothing to mark on the register any more.
    assert "Nobody is accepted" in client.get(reverse("referrals:inbox_register")).content.decode()


def test_withdrawing_consent_to_share_closes_what_a_provider_holds(
    client_for, clinician, person, open_referrals, provider_staff, activity
):
    sent, accepted = open_referrals
    other = ServiceUserFactory(
        service=person.service, assigned_clinician=clinician, ready_to_refer=True
    )
    untouched = ReferralFactory(sent=True, service_user=other, activity=activity)
    url = reverse("referrals:consent", args=[person.public_id, "share", "withdraw"])
    assert client_for(clinician).post(url).status_code == 302
    for referral in (sent, accepted):
        referral.refresh_from_db()
        assert referral.status == S.WITHDRAWN
        assert referral.events.last().note == ON_CONSENT_WITHDRAWN
        assert not pending(referral).exists()
    untouched.refresh_from_db()
    assert untouched.status == S.SENT and pending(untouched).exists()
    html = client_for(provider_staff).get(
        reverse("referrals:inbox_referral", args=[sent.public_id])
    )
    assert person.family_name not in html.content.decode()


def test_withdrawing_consent_to_email_leaves_referrals_open(
    client_for, clinician, person, open_referrals
):
    sent, _accepted = open_referrals
    url = reverse("referrals:consent", args=[person.public_id, "email", "withdraw"])
    client_for(clinician).post(url)
    sent.refresh_from_db()
    assert sent.status == S.SENT


def test_a_draft_survives_consent_withdrawal_but_not_erasure(
    client_for, clinician, lead, person, activity
):
    draft = ReferralFactory(draft=True, service_user=person, activity=activity)
    client_for(clinician).post(
        reverse("referrals:consent", args=[person.public_id, "share", "withdraw"])
    )
    draft.refresh_from_db()
    assert draft.status == S.DRAFT  # never shared, and cannot be sent without consent
    client_for(lead).post(
        reverse("referrals:data_erase", args=[person.public_id]), {"confirm": "on"}
    )
    draft.refresh_from_db()
    assert draft.status == S.WITHDRAWN


# --- append-only history -------------------------------------------------------------------


@pytest.fixture
def event(person, activity, provider_staff):
    referral = ReferralFactory(sent=True, service_user=person, activity=activity)
    services.referral_decline(
        referral=referral, by=provider_staff, reason="other", note="Told us about a bad week"
    )
    return referral.events.get(to_status=S.DECLINED)


def refused(action) -> bool:
    try:
        with transaction.atomic():
            action()
    except IntegrityError as error:
        assert "referral history is append-only" in str(error)
        return True
    return False


def test_an_update_of_an_event_row_fails(event):
    rows = ReferralEvent.objects.filter(pk=event.pk)
    assert refused(lambda: rows.update(note="changed"))
    assert refused(lambda: rows.update(to_status=S.ACCEPTED))
    event.note = "edited"
    assert refused(event.save)
    with connection.cursor() as cursor:
        sql = "UPDATE referrals_referralevent SET at = now() WHERE id = %s"
        assert refused(lambda: cursor.execute(sql, [event.pk]))
    event.refresh_from_db()
    assert (event.note, event.to_status) == ("Told us about a bad week", S.DECLINED)


def test_a_delete_of_an_event_row_fails(event):
    assert refused(lambda: ReferralEvent.objects.filter(pk=event.pk).delete())
    with connection.cursor() as cursor:
        sql = "DELETE FROM referrals_referralevent WHERE id = %s"
        assert refused(lambda: cursor.execute(sql, [event.pk]))

    def delete_while_redacting():
        with history_change(REDACT):
            ReferralEvent.objects.filter(pk=event.pk).delete()

    assert refused(delete_while_redacting)  # never, whatever the transaction says
    assert ReferralEvent.objects.filter(pk=event.pk).exists()


def test_erasure_may_only_blank_notes(event):
    rows = ReferralEvent.objects.filter(pk=event.pk)

    def redact_status():
        with history_change(REDACT):
            rows.update(to_status=S.ACCEPTED, note="")

    def redact_to_other_text():
        with history_change(REDACT):
            rows.update(note="something else")

    assert refused(redact_status)
    assert refused(redact_to_other_text)
    with history_change(REDACT):
        rows.update(note="")
    assert rows.get().note == ""
    # The permission ends with the block, inside the same transaction.
    assert refused(lambda: rows.update(note="back again"))


def test_the_demos_backdating_may_only_move_times(event):
    rows = ReferralEvent.objects.filter(pk=event.pk)

    def backdate_and_edit():
        with history_change(BACKDATE):
            rows.update(at=timezone.now(), note="")

    assert refused(backdate_and_edit)
    earlier = event.at - timezone.timedelta(days=3)
    with history_change(BACKDATE):
        rows.update(at=earlier)
    assert rows.get().at == earlier


def test_erasure_blanks_event_notes_and_keeps_the_events(client_for, lead, person, event):
    count = ReferralEvent.objects.filter(referral__service_user=person).count()
    client_for(lead).post(
        reverse("referrals:data_erase", args=[person.public_id]), {"confirm": "on"}
    )
    event.refresh_from_db()
    assert event.note == ""
    assert ReferralEvent.objects.filter(referral__service_user=person).count() == count


def test_an_unknown_history_change_is_refused():
    with pytest.raises(ValueError), history_change("anything"):
        pass
