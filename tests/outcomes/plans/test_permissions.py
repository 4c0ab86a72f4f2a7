"""Who may open each plan page: clinicians and leads of the person's service; other
services 404, other roles 403, anonymous users the sign-in page. Outsiders' POSTs change
nothing."""

import pytest
from django.test import Client
from django.urls import reverse

from outcomes.plans.models import ActivityConversation, ActivityPlan
from tests.outcomes.plans.conftest import make_plan

EXPECTED = {
    "clinician": 200,
    "lead": 200,
    "other_clinician": 404,
    "partnership": 403,
    "provider": 403,
    "admin": 403,
}


def _pages(person, plan):
    return {
        "conversation": reverse("outcomes:plan_conversation", args=[person.public_id]),
        "plan_new": reverse("outcomes:plan_new", args=[person.public_id]),
        "plan_detail": reverse("outcomes:plan_detail", args=[plan.public_id]),
        "plan_print": reverse("outcomes:plan_print", args=[plan.public_id]),
        "plan_print_easy": reverse("outcomes:plan_print", args=[plan.public_id])
        + "?version=easy-read",
    }


PAGES = ["conversation", "plan_new", "plan_detail", "plan_print", "plan_print_easy"]


@pytest.mark.parametrize("role", sorted(EXPECTED))
@pytest.mark.parametrize("page", PAGES)
def test_each_role_reaches_only_what_it_may(cast, client_for, person, plan, role, page):
    response = client_for(cast[role]).get(_pages(person, plan)[page])
    assert response.status_code == EXPECTED[role]


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_users_are_sent_to_sign_in(person, plan, page):
    response = Client().get(_pages(person, plan)[page])
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("role", ["other_clinician", "partnership", "provider", "admin"])
def test_outsiders_cannot_record_a_conversation_or_send_a_plan(
    cast, client_for, person, clinician, role
):
    draft = make_plan(person, clinician, send=False)
    client = client_for(cast[role])
    client.post(
        reverse("outcomes:plan_conversation", args=[person.public_id]),
        {"confidence": "5", "readiness": "ready", "support": "own"},
    )
    client.post(reverse("outcomes:plan_send", args=[draft.public_id]))
    client.post(
        reverse("outcomes:plan_new", args=[person.public_id]),
        {"activity": "walking", "target_minutes": "60"},
    )
    assert not ActivityConversation.objects.exists()
    assert list(ActivityPlan.objects.values_list("status", flat=True)) == ["draft"]


def test_anonymous_send_changes_nothing(person, clinician):
    draft = make_plan(person, clinician, send=False)
    response = Client().post(reverse("outcomes:plan_send", args=[draft.public_id]))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "draft"
