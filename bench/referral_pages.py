"""The pages the referral-pathway issue sets speed targets for."""

from django.urls import NoReverseMatch, reverse

from bench.pages import _client, _ok
from referrals.models import Referral, ServiceUser


def run(timed) -> None:
    clinician = _client("bench.clinician@example.nhs.uk")
    provider = _client("bench.provider@example.org.uk")
    person = ServiceUser.objects.filter(
        assigned_clinician__email="bench.clinician@example.nhs.uk"
    ).first()
    pages = [
        ("caseload (clinician, ~500 people)", clinician, "referrals:caseload", []),
        ("service-user record page", clinician, "referrals:record", [person.public_id]),
        ("provider inbox (~30,000 referrals to this provider)", provider, "referrals:inbox", []),
    ]
    for label, client, name, args in pages:
        try:
            url = reverse(name, args=args)
        except NoReverseMatch:
            print(f"{label:<58} (page not built yet)")
            continue
        timed(label, lambda client=client, url=url: _ok(client.get(url)))
    try:
        find = reverse("referrals:find_for", args=[person.public_id])
    except NoReverseMatch:
        return
    timed(
        "matching for one service user (find, then search)",
        lambda: _ok(clinician.get(find, follow=True)),
    )
    referral = Referral.objects.filter(
        status="sent", activity__provider__organisation__name="Bench Leisure Trust"
    ).first()
    try:
        inbox_referral = reverse("referrals:inbox_referral", args=[referral.public_id])
    except NoReverseMatch:
        return
    timed("provider's referral page", lambda: _ok(provider.get(inbox_referral)))
    time_sending(timed)


def time_sending(timed) -> None:
    """Refer-and-send as the clinician does it: one POST that creates and sends. Each run
    refers a different person, so no run is refused as a duplicate."""
    from referrals.models import Referral as R

    clinician = _client("bench.clinician@example.nhs.uk")
    activity_pk = (
        R.objects.filter(activity__provider__organisation__name="Bench Leisure Trust")
        .values_list("activity__public_id", flat=True)
        .first()
    )
    candidates = list(
        ServiceUser.objects.filter(assigned_clinician__email="bench.clinician@example.nhs.uk")
        .exclude(referrals__activity__public_id=activity_pk)
        .values_list("public_id", flat=True)[:200]
    )
    if len(candidates) < 61:
        # On a fresh seed every one of the clinician's people is already referred there;
        # say so rather than stop the benchmarks that follow.
        print("sending a referral: skipped (too few people not yet referred to the activity)")
        return
    people = iter(candidates)
    form = {
        "what_they_would_enjoy": "Being outdoors",
        "goal": "Move more",
        "accompanied_first_visit": "no",
        "preferred_contact": "email",
    }

    def send_one():
        url = reverse("referrals:refer", args=[next(people), activity_pk])
        response = clinician.post(url, form)
        assert response.status_code == 302, response.status_code

    timed("sending a referral (create + send, one POST)", send_one, runs=60)
