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
