"""Clinician pages: good input saved and shown (total and band after saving), bad input
explained in the NHS.UK style with what was typed kept and nothing saved."""

from datetime import date

import pytest
from django.urls import reverse

from outcomes.models import Appointment, Episode, Measure, RiskFlag
from referrals.models import ServiceUser
from talkingmoves.audit.models import AccessLog
from tests.factories import with_duty_contact
from tests.outcomes.factories import (
    AppointmentFactory,
    EpisodeFactory,
    gad7_items,
    measure,
    phq9_items,
)
from tests.outcomes.support import (  # noqa: F401
    episode_fixture,
    frozen_fixture,
    person_fixture,
)
from tests.referrals.factories import ServiceUserFactory

pytestmark = pytest.mark.usefixtures("frozen")


def _date(name, day, month, year):
    return {f"{name}-day": str(day), f"{name}-month": str(month), f"{name}-year": str(year)}


def _errors(response, message, times=2):
    page = response.content.decode()
    assert response.status_code == 200
    assert "nhsuk-error-summary" in page and "There is a problem" in page
    assert page.count(message) >= times, page  # in the summary and beside the field
    return page


def test_phq9_form_uses_the_official_wording_and_radios(client_for, clinician, episode):
    page = (
        client_for(clinician)
        .get(reverse("outcomes:measure_record", args=[episode.public_id, "phq9"]))
        .content.decode()
    )
    assert "Over the last 2 weeks, how often have you been bothered" in page
    assert "Thoughts that you would be better off dead or of hurting yourself in some way" in page
    assert page.count('type="radio"') == 36
    assert "More than half the days" in page
    assert 'name="total"' not in page  # never typed
    assert 'name="taken_on-day" type="text" value="2"' in page or 'value="2"' in page


def test_phq9_saved_then_total_and_band_shown(client_for, clinician, episode):
    data = {
        **_date("taken_on", 1, 3, 2026),
        **{f"item_{n}": "2" for n in range(1, 9)},
        "item_9": "0",
    }
    client = client_for(clinician)
    response = client.post(
        reverse("outcomes:measure_record", args=[episode.public_id, "phq9"]), data
    )
    saved = Measure.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("outcomes:measure_detail", args=[saved.public_id])
    assert saved.total == 16 and saved.source == "clinician" and saved.recorded_by == clinician
    page = client.get(response["Location"]).content.decode()
    assert "16 out of 27" in page and "Moderately severe" in page
    assert "More than half the days" in page
    assert not RiskFlag.objects.exists()


def test_phq9_item_9_shows_review_warning_and_flag(client_for, clinician, episode):
    data = {
        **_date("taken_on", 1, 3, 2026),
        **{f"item_{n}": "0" for n in range(1, 9)},
        "item_9": "1",
    }
    client = client_for(clinician)
    response = client.post(
        reverse("outcomes:measure_record", args=[episode.public_id, "phq9"]), data
    )
    page = client.get(response["Location"]).content.decode()
    assert "1 out of 27" in page and "Minimal" in page
    assert "needs same-day clinical review" in page
    assert RiskFlag.objects.filter(reviewed_at__isnull=True).count() == 1


def test_missing_phq9_item_is_explained_kept_and_not_saved(client_for, clinician, episode):
    data = {**_date("taken_on", 1, 3, 2026), **{f"item_{n}": "3" for n in range(1, 9)}}
    response = client_for(clinician).post(
        reverse("outcomes:measure_record", args=[episode.public_id, "phq9"]), data
    )
    page = _errors(response, "Select an answer to question 9")
    assert 'href="#id_item_9' in page
    assert page.count('value="3" checked') == 8  # what was chosen is kept
    assert not Measure.objects.exists()


def test_out_of_range_item_is_refused(client_for, clinician, episode):
    data = {**_date("taken_on", 1, 3, 2026), **{f"item_{n}": "1" for n in range(1, 8)}}
    data["item_3"] = "4"
    response = client_for(clinician).post(
        reverse("outcomes:measure_record", args=[episode.public_id, "gad7"]), data
    )
    _errors(response, "Select an answer to question 3")
    assert not Measure.objects.exists()


@pytest.mark.parametrize(
    "when,message",
    [
        ((4, 1, 2026), "Date completed must be on or after the referral date, 5 January 2026"),
        ((3, 3, 2026), "Date completed must be today or in the past"),
        ((31, 2, 2026), "Date completed must be a real date"),
    ],
)
def test_measure_dated_outside_the_episode_is_refused(
    client_for, clinician, episode, when, message
):
    data = {**_date("taken_on", *when), **{f"item_{n}": "1" for n in range(1, 8)}}
    response = client_for(clinician).post(
        reverse("outcomes:measure_record", args=[episode.public_id, "gad7"]), data
    )
    page = _errors(response, message)
    assert 'value="1" checked' in page  # answers kept
    assert not Measure.objects.exists()


def test_activity_shows_sport_england_level(client_for, clinician, episode):
    data = {
        **_date("taken_on", 1, 3, 2026),
        "days": "5",
        "moderate_minutes": "90",
        "vigorous_minutes": "30",
    }
    client = client_for(clinician)
    response = client.post(
        reverse("outcomes:measure_record", args=[episode.public_id, "activity"]), data
    )
    assert response.status_code == 302
    assert set(Measure.objects.values_list("kind", "total")) == {
        ("activity_days", 5),
        ("activity_minutes", 150),
    }
    page = client.get(response["Location"]).content.decode()
    assert "Sport England level" in page and "Active" in page


@pytest.mark.parametrize(
    "change,message",
    [
        ({"moderate_minutes": "lots"}, "Moderate minutes must be a whole number"),
        ({"vigorous_minutes": ""}, "Enter minutes for both intensities"),
        ({"moderate_minutes": "20000"}, "Moderate minutes a week must be a whole number from 0"),
        ({"days": ""}, "Select how many days they were active"),
    ],
)
def test_activity_bad_input(client_for, clinician, episode, change, message):
    data = {
        **_date("taken_on", 1, 3, 2026),
        "days": "5",
        "moderate_minutes": "90",
        "vigorous_minutes": "30",
        **change,
    }
    response = client_for(clinician).post(
        reverse("outcomes:measure_record", args=[episode.public_id, "activity"]), data
    )
    _errors(response, message)
    assert not Measure.objects.exists()


def test_wsas_saves_with_work_not_applicable(client_for, clinician, episode):
    data = {
        **_date("taken_on", 1, 3, 2026),
        "item_1": "not_applicable",
        "item_2": "4",
        "item_3": "8",
        "item_4": "0",
        "item_5": "2",
    }
    response = client_for(clinician).post(
        reverse("outcomes:measure_record", args=[episode.public_id, "wsas"]), data
    )
    assert response.status_code == 302
    saved = Measure.objects.get()
    assert saved.item_1 is None and saved.total == 14


def test_appointment_defaults_to_today_and_saves(client_for, clinician, episode):
    client = client_for(clinician)
    url = reverse("outcomes:appointment_record", args=[episode.public_id])
    page = client.get(url).content.decode()
    assert 'value="2"' in page and 'value="2026"' in page  # today, 2 March 2026
    response = client.post(
        url, {**_date("on", 2, 3, 2026), "kind": "treatment", "attendance": "attended"}
    )
    assert response.status_code == 302
    episode.refresh_from_db()
    assert episode.treatment_sessions == 1


def test_appointment_before_referral_is_explained(client_for, clinician, episode):
    response = client_for(clinician).post(
        reverse("outcomes:appointment_record", args=[episode.public_id]),
        {**_date("on", 1, 1, 2026), "kind": "treatment", "attendance": "attended"},
    )
    page = _errors(response, "Appointment date must be on or after the referral date")
    assert 'value="treatment" checked' in page
    assert not Appointment.objects.exists()


def test_appointment_missing_choices(client_for, clinician, episode):
    response = client_for(clinician).post(
        reverse("outcomes:appointment_record", args=[episode.public_id]), _date("on", 1, 3, 2026)
    )
    _errors(response, "Select the type of appointment")
    assert not Appointment.objects.exists()


def test_end_before_last_appointment_is_explained(client_for, clinician, episode):
    AppointmentFactory(episode=episode, on=date(2026, 2, 10))
    response = client_for(clinician).post(
        reverse("outcomes:episode_end", args=[episode.public_id]),
        {**_date("ended_on", 9, 2, 2026), "ending_reason": "46"},
    )
    page = _errors(response, "Ending date must be on or after the last appointment, 10 February")
    assert 'value="46" selected' in page
    episode.refresh_from_db()
    assert episode.ended_on is None


def test_end_episode_saves(client_for, clinician, episode):
    response = client_for(clinician).post(
        reverse("outcomes:episode_end", args=[episode.public_id]),
        {**_date("ended_on", 1, 3, 2026), "ending_reason": "46"},
    )
    assert response.status_code == 302
    episode.refresh_from_db()
    assert episode.ended_on == date(2026, 3, 1) and episode.ending_reason == "46"


def test_open_episode_bad_input(client_for, clinician, person):
    url = reverse("outcomes:episode_open", args=[person.public_id])
    response = client_for(clinician).post(
        url, {**_date("referral_received_on", 3, 3, 2026), "step": "2"}
    )
    page = _errors(response, "Select where the referral came from")
    assert "Referral date must be today or in the past" in page
    assert not Episode.objects.exists()


def test_open_episode_saves(client_for, clinician, person):
    url = reverse("outcomes:episode_open", args=[person.public_id])
    response = client_for(clinician).post(
        url, {**_date("referral_received_on", 1, 2, 2026), "referral_source": "B1", "step": "3"}
    )
    assert response.status_code == 302
    episode = Episode.objects.get()
    assert episode.service_user == person and episode.step == 3 and episode.referral_source == "B1"


def test_second_open_episode_is_explained(client_for, clinician, person, episode):
    url = reverse("outcomes:episode_open", args=[person.public_id])
    response = client_for(clinician).post(
        url, {**_date("referral_received_on", 1, 2, 2026), "referral_source": "B1"}
    )
    _errors(response, "already has an open episode", times=1)  # about the whole form
    assert Episode.objects.count() == 1


def test_review_needs_a_note(client_for, clinician, episode):
    m = measure(episode, "phq9", phq9_items(14, item_9=1), on=date(2026, 2, 1))
    flag = RiskFlag.objects.create(service_user=episode.service_user, measure=m)
    url = reverse("outcomes:risk_flag_review", args=[flag.public_id])
    _errors(client_for(clinician).post(url, {"note": "   "}), "Enter a note of the review")
    flag.refresh_from_db()
    assert flag.is_open
    response = client_for(clinician).post(url, {"note": "Called, safety plan agreed"})
    assert response.status_code == 302
    flag.refresh_from_db()
    assert not flag.is_open and flag.review_note == "Called, safety plan agreed"


def test_pages_that_show_a_person_write_the_access_log(client_for, clinician, person, episode):
    client_for(clinician).get(reverse("outcomes:appointment_record", args=[episode.public_id]))
    assert AccessLog.objects.filter(
        action="view", object_id=str(person.public_id), actor=clinician
    ).exists()


def _scores(episode, *rows):
    for on, phq, gad, days in rows:
        measure(episode, "phq9", phq9_items(phq), on=on)
        measure(episode, "gad7", gad7_items(gad), on=on)
        measure(episode, "activity_days", [days], on=on)


def test_record_shows_outcomes_chart_table_and_actions(client_for, clinician, person, episode):
    _scores(
        episode,
        (date(2026, 1, 6), 18, 14, 1),
        (date(2026, 2, 3), 11, 9, 3),
        (date(2026, 3, 1), 6, 5, 5),
    )
    AppointmentFactory(episode=episode, on=date(2026, 1, 13))
    page = client_for(clinician).get(reverse("referrals:record", args=[person.public_id]))
    html = page.content.decode()
    assert 'id="outcomes"' in html
    assert "Record appointment" in html and "Record PHQ-9" in html and "Record GAD-7" in html
    assert "Record WSAS" in html and "Record activity" in html
    assert "Send questionnaire link" in html and "End this episode" in html
    assert html.count("<svg viewBox=") == 2 and "<polyline" in html
    assert "<script" not in html.split('id="outcomes"')[1]
    assert "<td>6 January 2026</td><td>18</td><td>14</td><td>1</td>" in html
    assert "Moderately severe" in html


def test_record_shows_open_risk_flag_banner(client_for, clinician, person, episode):
    m = measure(episode, "phq9", phq9_items(5, item_9=1), on=date(2026, 2, 1))
    RiskFlag.objects.create(service_user=person, measure=m)
    html = (
        client_for(clinician)
        .get(reverse("referrals:record", args=[person.public_id]))
        .content.decode()
    )
    assert "Risk flag: review today" in html and "Mark as reviewed" in html


def test_record_query_count_does_not_grow_with_measures(
    client_for, clinician, person, episode, django_assert_max_num_queries
):
    client = client_for(clinician)
    url = reverse("referrals:record", args=[person.public_id])
    _scores(episode, (date(2026, 1, 6), 18, 14, 1))
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    _scores(
        episode,
        *[(date(2026, 1, 7 + n), 10 + n % 5, 8, n % 7) for n in range(20)],
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_caseload_tags_open_risk_flags_in_a_fixed_number_of_queries(
    client_for, clinician, person, episode, django_assert_max_num_queries
):
    client = client_for(clinician)
    url = reverse("referrals:caseload")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        page = client.get(url).content.decode()
    assert "Risk flag" not in page
    m = measure(episode, "phq9", phq9_items(5, item_9=2), on=date(2026, 2, 1))
    RiskFlag.objects.create(service_user=person, measure=m)
    for _ in range(5):
        other = ServiceUserFactory(service=clinician.organisation, assigned_clinician=clinician)
        e = EpisodeFactory(service_user=other)
        RiskFlag.objects.create(
            service_user=other,
            measure=measure(e, "phq9", phq9_items(3, item_9=1), on=date(2026, 2, 1)),
        )
    with django_assert_max_num_queries(len(before.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count("Risk flag: review today") == 6
    assert ServiceUser.objects.count() == 6


def test_reviewed_flag_page_goes_back_to_the_record(client_for, clinician, person, episode):
    m = measure(episode, "phq9", phq9_items(5, item_9=1), on=date(2026, 2, 1))
    flag = RiskFlag.objects.create(service_user=person, measure=m)
    client = client_for(clinician)
    url = reverse("outcomes:risk_flag_review", args=[flag.public_id])
    client.post(url, {"note": "Reviewed by phone"})
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("referrals:record", args=[person.public_id]))
    html = client.get(response["Location"]).content.decode()
    assert "Risk flag: review today" not in html


def test_questionnaire_link_without_contact_details_is_explained(
    client_for, clinician, person, episode
):
    with_duty_contact(episode.service)
    ServiceUser.objects.filter(pk=person.pk).update(email="", mobile="")
    client = client_for(clinician)
    response = client.post(
        reverse("outcomes:measure_request_create", args=[episode.public_id]), follow=True
    )
    assert "Add an email address or mobile number before sending a link" in (
        response.content.decode()
    )
    assert not episode.measure_requests.exists()
