"""The record page, consents and PAR-Q+ screening."""

from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from referrals.models import DEFAULT_RED_FLAG_GUIDANCE, Screening, ServiceContent
from referrals.pathway import services
from referrals.records import services as record_services
from talkingmoves.audit.models import AccessLog
from tests.providers.factories import ActivityFactory, ProviderFactory, VenueFactory
from tests.referrals.factories import (
    ReferralFactory,
    ScreeningFactory,
    ServiceUserFactory,
    with_consent_and_clear_screening,
)

ALL_NO = {f"q{n}": "no" for n in range(1, 8)}


def _record(person):
    return reverse("referrals:record", args=[person.public_id])


def _consent(person, which="share", change="record"):
    return reverse("referrals:consent", args=[person.public_id, which, change])


class TestAccessLog:
    def test_every_view_writes_a_row(self, client_for, clinician, lead, person):
        client_for(clinician).get(_record(person))
        client_for(clinician).get(_record(person))
        client_for(lead).get(_record(person))
        rows = AccessLog.objects.filter(action="view", object_id=str(person.public_id))
        assert rows.count() == 3
        assert {row.actor for row in rows} == {clinician, lead}
        assert rows.first().path == _record(person)

    def test_refused_view_writes_nothing(self, client_for, other_clinician, person):
        client_for(other_clinician).get(_record(person))
        assert not AccessLog.objects.filter(action="view").exists()


class TestConsent:
    @pytest.mark.parametrize("which", ["share", "email", "sms"])
    def test_record_then_withdraw(self, client_for, clinician, lead, person, which):
        with time_machine.travel("2026-03-02 10:00Z", tick=False):
            response = client_for(clinician).post(_consent(person, which, "record"), follow=True)
        person.refresh_from_db()
        assert getattr(person, f"consent_{which}_at") == timezone.now().replace(
            year=2026, month=3, day=2, hour=10, minute=0, second=0, microsecond=0
        )
        assert getattr(person, f"consent_{which}_by") == clinician
        page = response.content.decode()
        assert "recorded" in page and f"Given, recorded by {escape(clinician)}" in page
        assert "2 March 2026" in page

        response = client_for(lead).post(_consent(person, which, "withdraw"), follow=True)
        person.refresh_from_db()
        assert getattr(person, f"consent_{which}_at") is None
        assert getattr(person, f"consent_{which}_by") == lead
        assert f"Withdrawn, recorded by {escape(lead)} on " in response.content.decode()
        logged = AccessLog.objects.filter(
            action="update", actor=lead, object_id=str(person.public_id)
        )
        assert logged.count() == 1

    def test_redirects_back_to_the_record(self, client_for, clinician, person):
        response = client_for(clinician).post(_consent(person))
        assert response["Location"] == f"{_record(person)}#consent"

    def test_unknown_consent_is_404(self, client_for, clinician, person):
        client = client_for(clinician)
        assert client.post(_consent(person, "carrier_pigeon")).status_code == 404
        assert client.post(_consent(person, "share", "shred")).status_code == 404


class TestScreening:
    def _post(self, client, person, **answers):
        url = reverse("referrals:screening_add", args=[person.public_id])
        return client.post(url, {**ALL_NO, **answers})

    def test_all_no_is_clear(self, client_for, clinician, person):
        response = self._post(client_for(clinician), person)
        assert response.status_code == 302
        screening = Screening.objects.get()
        assert screening.outcome == Screening.Outcome.CLEAR
        assert screening.answers == {f"q{n}": False for n in range(1, 8)}
        assert screening.recorded_by == clinician

    @pytest.mark.parametrize("question", [f"q{n}" for n in range(1, 8)])
    def test_any_yes_needs_advice(self, client_for, clinician, person, question):
        self._post(client_for(clinician), person, **{question: "yes"})
        screening = Screening.objects.get()
        assert screening.outcome == Screening.Outcome.ADVICE_NEEDED
        assert screening.answers[question] is True
        assert sum(screening.answers.values()) == 1

    def test_every_question_is_required(self, client_for, clinician, person):
        data = dict(ALL_NO)
        del data["q2"]
        url = reverse("referrals:screening_add", args=[person.public_id])
        response = client_for(clinician).post(url, data)
        page = response.content.decode()
        assert response.status_code == 200
        assert "There is a problem" in page
        assert page.count("Select yes if they feel pain in their chest, or select no") == 2
        assert 'value="no" checked' in page  # the other answers are kept
        assert not Screening.objects.exists()

    def test_outcome_logic(self):
        assert record_services.screening_outcome({f"q{n}": False for n in range(1, 8)}) == "clear"
        answers = {f"q{n}": n == 7 for n in range(1, 8)}
        assert record_services.screening_outcome(answers) == "advice_needed"
        with pytest.raises(ValueError):
            record_services.screening_outcome({"q1": False})

    def test_form_shows_red_flag_guidance(self, client_for, clinician, person):
        url = reverse("referrals:screening_add", args=[person.public_id])
        page = client_for(clinician).get(url).content.decode()
        assert "Stop and seek medical review if" in page
        assert "new or worsening chest pain" in page

    def test_service_content_replaces_the_default(self, client_for, clinician, person):
        ServiceContent.objects.create(
            service=clinician.organisation, red_flag_guidance="Signed-off text for Riverside"
        )
        ScreeningFactory(service_user=person, advice_needed=True)
        page = client_for(clinician).get(_record(person)).content.decode()
        assert "Signed-off text for Riverside" in page
        assert "new or worsening chest pain" not in page

    def test_default_guidance_is_the_interim_text(self):
        assert "seek urgent medical review" in DEFAULT_RED_FLAG_GUIDANCE


class TestResolve:
    def _url(self, person, screening):
        return reverse("referrals:screening_resolve", args=[person.public_id, screening.public_id])

    def test_resolve(self, client_for, lead, person, screening):
        response = client_for(lead).post(
            self._url(person, screening),
            {"resolution": "discussed_cleared", "note": "Angina is stable; start gently"},
        )
        assert response.status_code == 302
        screening.refresh_from_db()
        assert screening.resolution == Screening.Resolution.DISCUSSED_AND_CLEARED
        assert screening.resolved_by == lead and screening.resolved_at is not None
        assert screening.resolution_note == "Angina is stable; start gently"
        assert not screening.needs_resolution

    def test_shows_guidance_and_yes_answers(self, client_for, clinician, person, screening):
        page = client_for(clinician).get(self._url(person, screening)).content.decode()
        assert "Stop and seek medical review if" in page
        assert "Do you feel pain in your chest" in page

    def test_bad_input_keeps_note(self, client_for, clinician, person, screening):
        response = client_for(clinician).post(self._url(person, screening), {"note": "Spoke to GP"})
        page = response.content.decode()
        assert "Select what was agreed about the screening answers" in page
        assert "Spoke to GP" in page
        screening.refresh_from_db()
        assert screening.needs_resolution

    def test_clear_screening_cannot_be_resolved(self, client_for, clinician, person):
        clear = Screening.objects.create(
            service_user=person,
            answers={f"q{n}": False for n in range(1, 8)},
            outcome="clear",
            recorded_by=clinician,
        )
        client = client_for(clinician)
        response = client.post(self._url(person, clear), {"resolution": "seek_advice", "note": "x"})
        assert response.status_code == 302
        clear.refresh_from_db()
        assert clear.resolution == ""
        with pytest.raises(record_services.ScreeningError):
            record_services.screening_resolve(
                screening=clear, resolution="seek_advice", note="", by=clinician
            )


class TestRecordPage:
    @pytest.fixture
    def referral(self, clinician, person, activity, provider_staff):
        with_consent_and_clear_screening(person, by=clinician)
        with time_machine.travel("2026-03-02 10:00Z", tick=False):
            referral = ReferralFactory(sent=True, service_user=person, activity=activity)
        with time_machine.travel("2026-03-03 10:00Z", tick=False):
            services.referral_accept(referral=referral, by=provider_staff, first_session_at=None)
        with time_machine.travel("2026-03-05 10:00Z", tick=False):
            services.attendance_record(
                referral=referral,
                session_date=date(2026, 3, 4),
                status="attended",
                by=provider_staff,
            )
        return referral

    def test_timeline_newest_first(self, client_for, clinician, person, referral):
        with time_machine.travel("2026-03-12 09:00Z", tick=False):
            page = client_for(clinician).get(_record(person)).content.decode()
        assert "Beginners&#x27; walking group" in page and "Riverside Leisure" in page
        assert "Sent 10 days ago" in page
        attending = page.index("Attending by")
        accepted = page.index("Accepted by")
        sent = page.index("Sent by")
        assert attending < accepted < sent
        assert "Session: attended" in page
        assert "Last: Attending by" in page

    def test_each_record_reads_its_own_referrals(self, person, referral, activity):
        """The record's three referral reads are compiled once: a second person's call
        reads their own referral, events and sessions, not the first person's."""
        from referrals.records.selectors import referrals_for_record

        other = ReferralFactory(sent=True, activity=activity).service_user
        mine, theirs = referrals_for_record(person), referrals_for_record(other)
        assert [r["pk"] for r in mine] == [referral.pk]
        assert [len(r["events"]) for r in mine] == [referral.events.count()]
        assert [a["status"] for a in mine[0]["attendances"]] == ["attended"]
        assert [r["pk"] for r in theirs] != [referral.pk] and len(theirs) == 1
        assert theirs[0]["attendances"] == []
        assert {e["referral_id"] for e in theirs[0]["events"]} == {theirs[0]["pk"]}

    def test_a_referral_made_between_the_reads_waits_for_the_next_view(
        self, person, referral, monkeypatch
    ):
        """The events and sessions are read by person after the referrals: a referral made
        in between brings events the first read did not see, and the record still shows."""
        from referrals.records import selectors

        first_read = selectors._RECORD_REFERRALS

        class ThenAnotherIsMade:
            def rows(self, **values):
                rows = first_read.rows(**values)
                ReferralFactory(
                    sent=True, service_user=person, activity=ActivityFactory(for_referrals=True)
                )
                return rows

        monkeypatch.setattr(selectors, "_RECORD_REFERRALS", ThenAnotherIsMade())
        shown = selectors.referrals_for_record(person)
        assert [r["pk"] for r in shown] == [referral.pk]
        assert {e["referral_id"] for e in shown[0]["events"]} == {referral.pk}

    def test_summary_and_consents(self, client_for, clinician, person, referral):
        page = client_for(clinician).get(_record(person)).content.decode()
        assert "987 654 3210" in page and "Grace Hopper" in page
        assert f"Given, recorded by {escape(clinician)}" in page
        assert "Cleared to start gradually" in page

    def test_find_activities_link_only_when_the_page_exists(
        self,
        client_for,
        clinician,
        person,
    ):
        from referrals.records.presenters import optional_url

        page = client_for(clinician).get(_record(person)).content.decode()
        url = optional_url("referrals:find_for", person.public_id)
        assert ("Find activities" in page) == bool(url)
        assert optional_url("referrals:no_such_page") == ""

    def test_days_since_sent(self):
        from referrals.records.presenters import days_since, days_text

        with time_machine.travel("2026-03-12 09:00Z", tick=False):
            assert days_since(timezone.now() - timedelta(days=3)) == 3
        assert days_text(1) == "sent 1 day ago" and days_text(0) == "sent today"
        assert days_text(None) == ""


def test_record_page_queries_do_not_grow_with_referrals(
    client_for, clinician, person, django_assert_max_num_queries
):
    provider = ProviderFactory()
    venue = VenueFactory(provider=provider)
    for n in range(8):
        activity = ActivityFactory(
            provider=provider, venue=venue, takes_referrals=True, referral_email=f"{n}@example.org"
        )
        referral = ReferralFactory(service_user=person, activity=activity, status="sent")
        referral.events.create(from_status="draft", to_status="sent", actor=clinician)
        ScreeningFactory(service_user=person, advice_needed=True)
    client = client_for(clinician)
    client.get(_record(person))
    # Framework: session, user, device, organisation, session write (3). Ours: person,
    # access log, screenings, referrals + events + attendances, interests, guidance;
    # nudges; outcomes: open risk flags, episodes (their rows are prefetched when present);
    # open tasks; the shortlist; unread text replies and messages stopped or started;
    # being active: the last conversation, the current plan, weekly-minutes measures (its
    # steps and answers are prefetched when there is a plan: tests/outcomes/plans).
    with CaptureQueriesContext(connection) as eight:
        page = client.get(_record(person)).content.decode()
    assert page.count("nhsuk-tag--orange") == 8
    assert len(eight) <= 26
    other = ServiceUserFactory(service=person.service, assigned_clinician=clinician)
    referral = ReferralFactory(service_user=other, activity=activity, status="sent")
    referral.events.create(from_status="draft", to_status="sent", actor=clinician)
    ScreeningFactory(service_user=other, advice_needed=True)
    client.get(_record(other))
    with CaptureQueriesContext(connection) as one:
        client.get(_record(other))
    assert len(one) == len(eight)  # the same queries for one referral as for eight


def test_opening_the_edit_form_is_logged(client_for, clinician, person):
    client_for(clinician).get(reverse("referrals:service_user_edit", args=[person.public_id]))
    assert AccessLog.objects.filter(action="view", object_id=str(person.public_id)).count() == 1


def test_service_content_is_edited_in_the_admin(client_for, admin_user, clinician):
    client = client_for(admin_user)
    response = client.get(reverse("admin:referrals_servicecontent_add"))
    assert response.status_code == 200
    assert "seek urgent medical review" in response.content.decode()
    response = client.post(
        reverse("admin:referrals_servicecontent_add"),
        {"service": clinician.organisation.pk, "red_flag_guidance": "Signed off 2026"},
    )
    assert response.status_code == 302
    assert ServiceContent.objects.get().red_flag_guidance == "Signed off 2026"


@pytest.mark.parametrize(
    "which,field,message",
    [("email", "email", "Add an email address"), ("sms", "mobile", "Add a mobile number")],
)
def test_channel_consent_needs_the_address(client_for, clinician, person, which, field, message):
    setattr(person, field, "")
    person.save()
    response = client_for(clinician).post(_consent(person, which, "record"), follow=True)
    assert message in response.content.decode()
    person.refresh_from_db()
    assert getattr(person, f"consent_{which}_at") is None
    assert not AccessLog.objects.filter(action="update").exists()


def test_the_record_starts_with_a_summary_and_links_to_each_section(client_for, clinician, person):
    activity = ActivityFactory(takes_referrals=True, referral_email="walks@example.org")
    referral = ReferralFactory(service_user=person, activity=activity, status="sent")
    referral.events.create(from_status="draft", to_status="sent", actor=clinician)

    page = client_for(clinician).get(_record(person)).content.decode()

    summary = page[page.index('id="summary"') : page.index("</dl>", page.index('id="summary"'))]
    assert "Open risk flags" in summary and "Open tasks" in summary
    assert f"Sent by {clinician}" in summary and activity.name in summary
    assert f"Wait for {activity.provider.name} to answer about {activity.name}" in summary
    assert page.index('id="summary"') < page.index('id="referrals"')
    for anchor in ("referrals", "shortlist", "outcomes", "messages", "consent", "screening"):
        assert f'href="#{anchor}"' in page and f'id="{anchor}"' in page, anchor


def test_a_record_with_nothing_yet_says_what_to_do_first(client_for, clinician, person):
    page = client_for(clinician).get(_record(person)).content.decode()
    assert "Nothing yet" in page and "Find an activity with them" in page
