"""The caseload: its rows, written in Python (referrals/records/caseload_rows.py), and the
clinician select built from plain rows give the HTML main gave, on the same data."""

from datetime import timedelta

import pytest
from django.utils import timezone

from referrals.models import Attendance
from referrals.worklist import services as worklist
from referrals.worklist.models import Task
from tests.factories import ClinicianFactory, ServiceLeadFactory
from tests.outcomes.factories import EpisodeFactory, RiskFlagFactory
from tests.providers.factories import ActivityFactory
from tests.referrals.factories import ReferralFactory, ScreeningFactory, ServiceUserFactory

pytestmark = pytest.mark.usefixtures("frozen")

CASELOAD = "/service-users/"


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
    """A row of every shape: no referral, waiting, declined (needs attention), no-show,
    attending, PAR-Q+ advice, a risk flag, open tasks, no NHS number, a name to escape, a
    colleague's person and one nobody is assigned to."""
    colleague = ClinicianFactory(organisation=clinician.organisation, full_name="")
    ClinicianFactory(organisation=clinician.organisation, full_name='Dr "Ann" <Lee>')
    ServiceLeadFactory(organisation=clinician.organisation)
    cast = {
        "none": _person(clinician, "Noreferral", nhs_number=""),
        "waiting": _person(clinician, "Waiting & <co>"),
        "declined": _person(clinician, "Declined"),
        "noshow": _person(clinician, "Noshow"),
        "went": _person(clinician, "Attended"),
        "screen": _person(clinician, "Screening"),
        "risk": _person(clinician, "Riskflag"),
        "colleague": _person(colleague, "Colleagues"),
        "nobody": _person(clinician, "Unassigned"),
    }
    cast["nobody"].assigned_clinician = None
    cast["nobody"].save()
    _referral(cast["waiting"], activity, "sent", sent_days_ago=4)
    _referral(cast["waiting"], ActivityFactory(), "sent", sent_days_ago=0)
    _referral(cast["declined"], activity, "declined", sent_days_ago=10, answered_days_ago=8)
    _referral(cast["noshow"], activity, "accepted", sent_days_ago=30, answered_days_ago=22)
    went = _referral(cast["went"], activity, "attending", sent_days_ago=1, answered_days_ago=1)
    Attendance.objects.create(referral=went, session_date=timezone.localdate(), status="attended")
    ScreeningFactory(service_user=cast["screen"], advice_needed=True)
    RiskFlagFactory(episode=EpisodeFactory(service_user=cast["risk"]))
    for kind in (Task.Kind.NOT_YET, Task.Kind.NOT_YET):
        worklist.task_create_for_service_user(service_user=cast["declined"], kind=kind)
    worklist.task_create_for_service_user(service_user=cast["went"], kind=Task.Kind.NOT_YET)
    _referral(cast["colleague"], activity, "declined", sent_days_ago=3, answered_days_ago=1)
    return cast


QUERIES = {
    "mine": None,
    "everyone": {"clinician": "all"},
    "needs attention": {"show": "needs_attention", "clinician": "all"},
    "search": {"q": "Waiting"},
    "bad input": {"clinician": "not-a-colleague"},
    "page 2 of 1": {"page": "2"},
}


@pytest.mark.parametrize("query", list(QUERIES))
@pytest.mark.parametrize("role", ["clinician", "lead"])
def test_caseload_as_main(render_both, client_for, cast, people, query, role):
    client = client_for(cast[role])
    before, after = render_both(lambda: client.get(CASELOAD, QUERIES[query]))
    assert after == before


@pytest.mark.parametrize("query", list(QUERIES))
def test_caseload_filters_as_the_reference_pack(render_packs, client_for, cast, people, query):
    client = client_for(cast["lead"])
    before, after = render_packs(lambda: client.get(CASELOAD, QUERIES[query]))
    assert 'name="clinician"' in after
    assert after == before


def test_a_colleagues_caseload_as_main(render_both, client_for, clinician, people):
    colleague = people["colleague"].assigned_clinician
    client = client_for(clinician)
    before, after = render_both(
        lambda: client.get(CASELOAD, {"clinician": str(colleague.public_id)})
    )
    assert "Colleagues" in after and "Your service users" not in after
    assert after == before


def test_the_rows_show_every_shape(client_for, clinician, people):
    html = client_for(clinician).get(CASELOAD, {"clinician": "all"}).content.decode()
    for text in ("Needs attention", "Risk flag: review today", "Not recorded", "Not assigned",
                 "Waiting &amp; &lt;co&gt;", "Sent today", "open tasks for", "No referral yet",
                 "Dr &quot;Ann&quot; &lt;Lee&gt;"):  # fmt: skip
        assert text in html, text
