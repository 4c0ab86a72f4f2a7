"""The caseload read a page at a time gives what the one ordered query gives: the same
people, in the same order, with the same columns, on every page, with every filter."""

from datetime import timedelta

import pytest
from django.core.paginator import Paginator
from django.utils import timezone

from referrals.records import selectors as record_selectors
from referrals.records.caseload_pages import caseload_pages
from referrals.worklist.services import task_create_for_service_user
from talkingmoves.vocabulary.tasks import TaskKind
from tests.factories import ClinicianFactory
from tests.outcomes.factories import EpisodeFactory, RiskFlagFactory
from tests.referrals.factories import ReferralFactory, ScreeningFactory, ServiceUserFactory

PER_PAGE = 4


@pytest.fixture
def cast(clinician, activity):
    """Eleven people of two clinicians: some flagged at risk, some with tasks, some both,
    some referred, with names that tie so the later sort keys count."""
    colleague = ClinicianFactory(organisation=clinician.organisation)
    people = []
    for n, family in enumerate(["Able", "Baker", "Baker", "Cole", "Dunn", "Ely", "Fox", "Gray"]):
        people.append(
            ServiceUserFactory(
                service=clinician.organisation,
                assigned_clinician=clinician if n % 3 else colleague,
                family_name=family,
                given_name="Sam" if family == "Baker" else f"Given{n}",
            )
        )
    for _ in range(3):
        people.append(
            ServiceUserFactory(
                service=clinician.organisation, assigned_clinician=clinician, family_name="Zed"
            )
        )
    for person in (people[6], people[1], people[9]):
        RiskFlagFactory(episode=EpisodeFactory(service_user=person))
    for person in (people[9], people[4], people[2], people[10]):
        task_create_for_service_user(service_user=person, kind=TaskKind.TEXT_REPLY)
    for person in people[::2]:
        ReferralFactory(service_user=person, activity=activity, status="sent")
    # Needing attention without a flag: declined, accepted and never attended, PAR-Q+ advice.
    ReferralFactory(service_user=people[3], activity=activity, status="declined")
    ReferralFactory(
        service_user=people[5],
        activity=activity,
        status="accepted",
        answered_at=timezone.now() - timedelta(days=30),
    )
    ScreeningFactory(service_user=people[7], advice_needed=True)
    ServiceUserFactory(family_name="Another service")
    return people


def _paged(pages):
    paginator = Paginator(pages, PER_PAGE)
    return paginator.count, [
        [_row(person) for person in paginator.page(n)] for n in paginator.page_range
    ]


def _row(person):
    return person.pk, bool(person.needs_attention), person.latest_status, person.open_task_count


def _whole(people):
    ids = [_row(person) for person in people]
    return len(ids), [ids[i : i + PER_PAGE] for i in range(0, len(ids), PER_PAGE)] or [[]]


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"show": record_selectors.CaseloadFilter.WAITING},
        {"show": record_selectors.CaseloadFilter.NO_REFERRAL},
        {"show": record_selectors.CaseloadFilter.NEEDS_ATTENTION},
        {"q": "Baker"},
        {"q": "nobody matches"},
    ],
)
@pytest.mark.parametrize("whose", ["service", "clinician"])
def test_pages_match_the_ordered_caseload(cast, clinician, lead, filters, whose):
    user, chosen = (lead, None) if whose == "service" else (clinician, clinician)
    people = record_selectors.caseload(user, clinician=chosen, **filters)
    assert _paged(caseload_pages(user, clinician=chosen, **filters)) == _whole(people)


def test_flagged_people_lead_and_fill_into_the_name_order(cast, lead):
    count, pages = _paged(caseload_pages(lead))
    pks = [[cast[i].pk for i in page] for page in ([9, 1, 6, 2], [4, 10, 0, 3])]
    pages = [[pk for pk, *_columns in page] for page in pages]
    assert count == 11
    # At risk and a task (Zed), at risk (Baker, Fox), then a task (Baker, Dunn, Zed);
    # then everyone else by name, from the first.
    assert pages[:2] == pks


def test_a_page_reads_only_its_own_people(cast, lead, django_assert_num_queries):
    pages = caseload_pages(lead)
    # Who comes first (one UNION), in what order, the page's ids by name, its people.
    with django_assert_num_queries(4):
        rows = pages[8:12]
    assert len(rows) == 3 and all(hasattr(row, "needs_attention") for row in rows)
    whole = record_selectors.caseload(lead)
    assert [row.pk for row in rows] == [person.pk for person in whole][8:12]
