"""Clinicians' tasks: made when something needs a person, shown to whoever is assigned now,
done once."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from referrals.models import Referral
from referrals.nudges.models import Nudge
from referrals.pathway import services as pathway
from referrals.tasks import auto_decline_unanswered
from referrals.worklist import selectors, services
from referrals.worklist.models import Task
from tests.factories import ClinicianFactory
from tests.referrals.factories import ReferralFactory, ServiceUserFactory

K = Task.Kind


def _task(person, **fields) -> Task:
    return services.task_create_for_service_user(
        service_user=person, kind=fields.pop("kind", K.NOT_YET), **fields
    )


@pytest.mark.django_db
def test_a_provider_decline_is_a_task_for_the_assigned_clinician(sent_referral, provider_staff):
    pathway.referral_decline(
        referral=sent_referral, by=provider_staff, reason=Referral.DeclineReason.FULL, note="Full"
    )
    task = Task.objects.get(service_user=sent_referral.service_user)
    assert task.kind == K.PROVIDER_DECLINED
    assert task.referral == sent_referral
    assert "Beginners' walking group" in task.detail
    assert list(selectors.tasks_for(sent_referral.service_user.assigned_clinician)) == [task]


@pytest.mark.django_db
def test_the_auto_decline_is_a_task_of_its_own_kind(sent_referral):
    Referral.objects.filter(pk=sent_referral.pk).update(sent_at=timezone.now() - timedelta(days=15))
    assert auto_decline_unanswered() == 1
    assert Task.objects.get(service_user=sent_referral.service_user).kind == K.AUTO_DECLINED
    assert auto_decline_unanswered() == 0
    assert Task.objects.count() == 1


@pytest.mark.django_db
def test_a_task_follows_the_person_to_their_new_clinician(person, clinician):
    task = _task(person)
    newcomer = ClinicianFactory(organisation=clinician.organisation)
    person.assigned_clinician = newcomer
    person.save()
    assert list(selectors.tasks_for(newcomer)) == [task]
    assert list(selectors.tasks_for(clinician)) == []


@pytest.mark.django_db
def test_one_task_per_cause(person):
    assert _task(person, source_key="nudge:1") is not None
    assert _task(person, source_key="nudge:1") is None
    assert _task(person, source_key="nudge:2") is not None
    assert Task.objects.count() == 2


@pytest.mark.django_db
def test_a_silent_provider_is_a_task_once_and_the_answer_closes_it(sent_referral):
    Referral.objects.filter(pk=sent_referral.pk).update(sent_at=timezone.now() - timedelta(days=8))
    assert services.tasks_for_silent_providers() == 1
    assert services.tasks_for_silent_providers() == 0
    task = Task.objects.get(kind=K.PROVIDER_SILENT)
    pathway.referral_move(
        referral=sent_referral,
        to=Referral.Status.WITHDRAWN,
        by=sent_referral.service_user.assigned_clinician,
        expected_from=Referral.Status.SENT,
    )
    task.refresh_from_db()
    assert task.done_at is not None


@pytest.mark.django_db
def test_a_referral_sent_recently_is_not_a_task(sent_referral):
    assert services.tasks_for_silent_providers() == 0


@pytest.mark.django_db
def test_a_new_task_emails_whoever_is_assigned_when_it_is_sent(person, clinician):
    from tests.nudges.test_delivery import deliver_all

    _task(person)
    newcomer = ClinicianFactory(organisation=clinician.organisation)
    person.assigned_clinician = newcomer
    person.save()
    deliver_all()
    email = Nudge.objects.get(template="clinician_new_task")
    assert email.status == Nudge.Status.SENT
    assert email.sent_to == newcomer.email
    assert email.link_path == reverse("referrals:tasks")


@pytest.mark.django_db
def test_erasure_closes_tasks_and_removes_what_they_said(person, lead):
    from referrals.data_rights.services import service_user_erase

    task = _task(person, detail="In their words: bus fares")
    service_user_erase(service_user=person, by=lead)
    task.refresh_from_db()
    assert task.done_at is not None and task.detail == ""


# --- The task list page and "done" ----------------------------------------------------------


@pytest.mark.django_db
def test_the_task_list_shows_my_people_s_open_tasks(client_for, person, clinician):
    _task(person, detail="What got in the way: How to get there")
    other = ServiceUserFactory(service=clinician.organisation)
    _task(other, detail="Someone else's")
    html = client_for(clinician).get(reverse("referrals:tasks")).content.decode()
    assert person.full_name in html and "How to get there" in html
    assert "Someone else&#x27;s" not in html
    lead_view = client_for(clinician).get(reverse("referrals:tasks"), {"show": "service"})
    assert "Someone else&#x27;s" in lead_view.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", [{"show": "nonsense"}, {"person": "not-a-uuid"}, {"page": "x"}, {"show": "<b>"}]
)
def test_the_task_list_survives_bad_filters(client_for, person, clinician, query):
    _task(person)
    response = client_for(clinician).get(reverse("referrals:tasks"), query)
    assert response.status_code == 200
    if "page" not in query:
        assert "nhsuk-error-summary" in response.content.decode()


@pytest.mark.django_db
def test_done_marks_the_task_done_once_and_goes_back(client_for, person, clinician):
    task = _task(person)
    url = reverse("referrals:task_done", args=[task.public_id])
    response = client_for(clinician).post(url, {"next": "/service-users/tasks/?show=service"})
    assert response.status_code == 302
    assert response.url == "/service-users/tasks/?show=service"
    task.refresh_from_db()
    assert task.done_at is not None and task.done_by == clinician
    first_done = task.done_at
    client_for(clinician).post(url)
    task.refresh_from_db()
    assert task.done_at == first_done


@pytest.mark.django_db
def test_done_refuses_an_outside_redirect(client_for, person, clinician):
    task = _task(person)
    url = reverse("referrals:task_done", args=[task.public_id])
    response = client_for(clinician).post(url, {"next": "https://evil.example/"})
    assert response.url == reverse("referrals:tasks")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("clinician", 302),
        ("lead", 302),
        ("other_clinician", 404),
        ("partnership", 403),
        ("provider", 403),
        ("admin", 403),
    ],
)
def test_who_may_mark_a_task_done(cast, client_for, person, role, status):
    task = _task(person)
    response = client_for(cast[role]).post(reverse("referrals:task_done", args=[task.public_id]))
    assert response.status_code == status
    task.refresh_from_db()
    assert (task.done_at is not None) == (status == 302)


@pytest.mark.django_db
def test_done_needs_sign_in_a_post_and_a_real_task(client, client_for, person, clinician):
    task = _task(person)
    url = reverse("referrals:task_done", args=[task.public_id])
    anonymous = client.post(url)
    assert anonymous.status_code == 302 and reverse("accounts:login") in anonymous.url
    assert client_for(clinician).get(url).status_code == 405
    missing = reverse("referrals:task_done", args=["6f1c2c1e-0000-4000-8000-000000000000"])
    assert client_for(clinician).post(missing).status_code == 404
    task.refresh_from_db()
    assert task.done_at is None


@pytest.mark.django_db
def test_done_on_a_call_request_task_marks_the_call_request_done(client_for, sent_referral):
    from referrals.nudges import answers
    from referrals.nudges.models import CallRequest
    from tests.nudges.factories import did_you_go

    clinician = sent_referral.service_user.assigned_clinician
    answers.nudge_answer(nudge=did_you_go(sent_referral), answer="call_me")
    task = Task.objects.get(kind=K.CALL_ME)
    client_for(clinician).post(reverse("referrals:task_done", args=[task.public_id]))
    assert CallRequest.objects.get().done_at is not None


# --- The caseload -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_caseload_shows_last_event_and_open_tasks_with_tasks_first(client_for, clinician):
    quiet = ServiceUserFactory(
        service=clinician.organisation, assigned_clinician=clinician, family_name="Aardvark"
    )
    busy = ServiceUserFactory(
        service=clinician.organisation,
        assigned_clinician=clinician,
        family_name="Zebra",
        ready_to_refer=True,
    )
    ReferralFactory(declined=True, service_user=busy)
    _task(busy, source_key="x")
    response = client_for(clinician).get(reverse("referrals:caseload"))
    rows = response.context["rows"]
    assert [row["person"].pk for row in rows] == [busy.pk, quiet.pk]
    assert rows[0]["open_tasks"] == 2  # the decline's task and this one
    assert rows[0]["last_event"].startswith("Declined: ")
    assert rows[1]["open_tasks"] == 0 and rows[1]["last_event"] == ""
    html = response.content.decode()
    assert "Last event" in html and "Open tasks" in html


@pytest.mark.django_db
def test_an_open_risk_flag_still_comes_before_open_tasks(client_for, clinician):
    from tests.outcomes.factories import RiskFlagFactory

    flagged = ServiceUserFactory(
        service=clinician.organisation, assigned_clinician=clinician, family_name="Zimmer"
    )
    RiskFlagFactory(episode__service_user=flagged, phq9=5, item_9=2)
    tasked = ServiceUserFactory(
        service=clinician.organisation, assigned_clinician=clinician, family_name="Abbot"
    )
    _task(tasked)
    rows = client_for(clinician).get(reverse("referrals:caseload")).context["rows"]
    assert [row["person"].pk for row in rows] == [flagged.pk, tasked.pk]


@pytest.mark.django_db
def test_the_record_shows_open_tasks_with_done(client_for, person, clinician):
    task = _task(person, detail="What got in the way: Finding the time")
    url = reverse("referrals:record", args=[person.public_id])
    html = client_for(clinician).get(url).content.decode()
    assert "Open tasks (1)" in html and "Finding the time" in html
    assert reverse("referrals:task_done", args=[task.public_id]) in html
    response = client_for(clinician).post(
        reverse("referrals:task_done", args=[task.public_id]), {"next": f"{url}#tasks"}
    )
    assert response.url == f"{url}#tasks"
    html = client_for(clinician).get(url).content.decode()
    assert "Open tasks (1)" not in html and "Finding the time" not in html
