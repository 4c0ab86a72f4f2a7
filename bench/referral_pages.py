"""The clinician's and the provider's pages of the referral pathway, and sending a
referral: one line each (bench/measure.py)."""

from itertools import islice

from django.db.models import Exists, OuterRef
from django.urls import reverse

from bench import small_provider
from bench.measure import RUNS, measure, not_measured, wanted
from bench.pages import CLINICIAN, PROVIDER, _client, get
from providers.models import Activity
from referrals.models import Referral, ServiceUser
from referrals.pathway.services import send_blockers

PROVIDER_ORGANISATION = "Bench Leisure Trust"


def run() -> None:
    clinician = _client(CLINICIAN)
    provider = _client(PROVIDER)
    person = ServiceUser.objects.filter(assigned_clinician__email=CLINICIAN).order_by("pk")[0]
    get("caseload (clinician, ~500 people)", clinician, reverse("referrals:caseload"))
    get("caseload, search by family name", clinician, reverse("referrals:caseload"),
        {"q": person.family_name})  # fmt: skip
    get("service-user record", clinician, reverse("referrals:record", args=[person.public_id]))
    get(
        "matching (find, then search)",
        clinician,
        reverse("referrals:find_for", args=[person.public_id]),
        follow=True,
    )
    mine = Referral.objects.filter(service_user=person).order_by("pk").first()
    get(
        "clinician's referral page",
        clinician,
        reverse("referrals:referral_detail", args=[mine.public_id]),
    )
    get("provider inbox (~30,000 referrals at scale 1)", provider, reverse("referrals:inbox"))
    club = _client(small_provider.ensure())
    get("provider inbox, one-provider organisation", club, reverse("referrals:inbox"))
    get(
        "provider inbox, one-provider organisation, closed",
        club,
        reverse("referrals:inbox"),
        {"tab": "closed"},
    )
    referral = (
        Referral.objects.filter(
            status="sent", activity__provider__organisation__name=PROVIDER_ORGANISATION
        )
        .order_by("pk")
        .first()
    )
    get(
        "provider's referral page",
        provider,
        reverse("referrals:inbox_referral", args=[referral.public_id]),
    )
    time_sending()


def free_pairs(email: str, wanted: int, organisation: str = PROVIDER_ORGANISATION):
    """(person, activity) pairs the clinician can refer without a refusal: the person has
    no referral to that activity (open or not) and nothing blocks sending. Walks the
    provider's referral-taking activities in turn, so a seed that has already referred
    everyone to one activity still leaves the others."""
    activities = Activity.objects.filter(
        provider__organisation__name=organisation,
        takes_referrals=True,
        archived_at__isnull=True,
        provider__archived_at__isnull=True,
    ).order_by("pk")
    people = ServiceUser.objects.filter(assigned_clinician__email=email, erased_at__isnull=True)
    found = 0
    for activity in activities.iterator():
        free = people.exclude(
            Exists(Referral.objects.filter(service_user=OuterRef("pk"), activity=activity))
        ).order_by("pk")
        for person in free.iterator():
            if send_blockers(service_user=person, activity=activity):
                continue
            yield person.public_id, activity.public_id
            found += 1
            if found == wanted:
                return


def time_sending() -> None:
    """Refer-and-send as the clinician does it: one POST that creates and sends. Each run
    refers a different (person, activity) pair, so no run is refused as a duplicate."""
    label = "sending a referral (create + send, one POST)"
    if not wanted(label):
        return
    clinician = _client(CLINICIAN)
    pairs = list(islice(free_pairs(CLINICIAN, RUNS + 1), RUNS + 1))
    if len(pairs) < RUNS + 1:
        not_measured(label, f"only {len(pairs)} free person/activity pairs")
        return
    form = {
        "what_they_would_enjoy": "Being outdoors",
        "goal": "Move more",
        "accompanied_first_visit": "no",
        "preferred_contact": "email",
    }
    remaining = iter(pairs)

    def send_one():
        person, activity = next(remaining)
        response = clinician.post(reverse("referrals:refer", args=[person, activity]), form)
        assert response.status_code == 302, (response.status_code, _errors(response))

    measure(label, send_one, changes=True)


def _errors(response) -> str:
    text = response.content.decode(errors="replace")
    start = text.find("nhsuk-error-summary")
    return text[start : start + 400] if start >= 0 else ""
