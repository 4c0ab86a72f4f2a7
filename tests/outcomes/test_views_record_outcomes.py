"""The record's outcomes: its chart, table and actions, open risk flags on the record and the
caseload, the access log, and queries that do not grow with the measures."""

from datetime import date

import pytest
from django.urls import reverse

from referrals.models import ServiceUser
from talkingmoves.audit.models import AccessLog
from tests.factories import with_duty_contact
from tests.outcomes.factories import (
    AppointmentFactory,
    RiskFlagFactory,
    gad7_items,
    measure,
    phq9_items,
)
from tests.referrals.factories import ServiceUserFactory

pytestmark = pytest.mark.usefixtures("frozen")


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
    RiskFlagFactory(episode=episode, phq9=5)
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
    RiskFlagFactory(episode=episode, phq9=5, item_9=2)
    for _ in range(5):
        other = ServiceUserFactory(service=clinician.organisation, assigned_clinician=clinician)
        RiskFlagFactory(episode__service_user=other, phq9=3)
    with django_assert_max_num_queries(len(before.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count("Risk flag: review today") == 6
    assert ServiceUser.objects.count() == 6


def test_reviewed_flag_page_goes_back_to_the_record(client_for, clinician, person, episode):
    flag = RiskFlagFactory(episode=episode, phq9=5)
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
