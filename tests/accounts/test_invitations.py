"""Invitations: a lead invites a clinician, partnership staff invite a provider's staff; the
link sets a password once, before it expires, and the person then enrols an authenticator."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from talkingmoves.accounts.models import Invitation, Role, User
from talkingmoves.accounts.team_services import invitation_create
from talkingmoves.audit.models import AccessLog
from talkingmoves.notify.models import StoredMessage
from tests.factories import ProviderOrganisationFactory
from tests.providers.factories import ProviderFactory

TEAM_INVITE = reverse("accounts:team_invite")
PROVIDER_INVITE = reverse("accounts:provider_accounts_invite")
NEW_PASSWORD = "a-long-new-password-for-sam"
LINK = re.compile(r"https?://[^/\s]+(/account/invitation/[^/\s]+/)")


@pytest.fixture
def provider_in_area(provider_organisation, partnership):
    """A listing in the partnership's area run by the cast's provider organisation."""
    return ProviderFactory(organisation=provider_organisation, partnership=partnership)


def _invite(client, url, capture, **data):
    fields = {"full_name": "Sam Newstarter", "email": "sam@example.nhs.uk", **data}
    with capture(execute=True):
        return client.post(url, fields)


def _link_in(message: StoredMessage) -> str:
    return LINK.search(message.personalisation["body"]).group(1)


def _code_for(device: TOTPDevice) -> str:
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits).token():06d}"


def _set_password(client, link, password=NEW_PASSWORD, confirm=None):
    return client.post(link, {"new_password1": password, "new_password2": confirm or password})


def test_lead_invites_a_clinician_who_sets_a_password_and_enrols_an_authenticator(
    cast, client_for, client, django_capture_on_commit_callbacks
):
    lead = cast["lead"]
    response = _invite(
        client_for(lead), TEAM_INVITE, django_capture_on_commit_callbacks, role="clinician"
    )
    assert response.status_code == 302
    assert response.url == reverse("accounts:team")

    message = StoredMessage.objects.get(recipient="sam@example.nhs.uk")
    link = _link_in(message)
    page = client.get(link)
    assert page.status_code == 200
    assert "Set up your account" in page.content.decode()

    done = _set_password(client, link)
    assert done.status_code == 302
    assert done.url == reverse("accounts:two_factor")
    sam = User.objects.get(email="sam@example.nhs.uk")
    assert (sam.role, sam.organisation) == (Role.CLINICIAN, lead.organisation)
    assert sam.check_password(NEW_PASSWORD)

    # First sign-in continues with the existing enrolment page (QR code and key).
    enrol = client.get(reverse("accounts:two_factor"))
    assert "Set up two-factor authentication" in enrol.content.decode()
    device = TOTPDevice.objects.get(user=sam, confirmed=False)
    enrolled = client.post(reverse("accounts:two_factor"), {"token": _code_for(device)})
    assert enrolled.status_code == 302
    assert client.get(reverse("core:home")).status_code == 200
    assert TOTPDevice.objects.filter(user=sam, confirmed=True).exists()

    actions = set(AccessLog.objects.values_list("action", flat=True))
    assert {"invite", "invitation_accepted", "2fa_enrolled"} <= actions
    invitation = Invitation.objects.get()
    assert AccessLog.objects.filter(
        actor=lead, action="invite", object_id=str(invitation.public_id)
    ).exists()


def test_invitation_email_names_no_one_and_the_token_is_stored_hashed(
    cast, client_for, django_capture_on_commit_callbacks
):
    _invite(
        client_for(cast["lead"]), TEAM_INVITE, django_capture_on_commit_callbacks, role="clinician"
    )
    body = StoredMessage.objects.get().personalisation["body"]
    assert "Riverside NHS Talking Therapies" in body
    assert "Sam" not in body and cast["lead"].full_name not in body
    token = _link_in(StoredMessage.objects.get()).rstrip("/").rsplit("/", 1)[1]
    assert len(token) >= 40
    invitation = Invitation.objects.get()
    assert token not in invitation.token_hash
    assert not Invitation.objects.filter(token_hash=token).exists()


def test_partnership_staff_invite_staff_of_a_provider_in_their_area(
    cast, client_for, client, provider_in_area, django_capture_on_commit_callbacks
):
    organisation = provider_in_area.organisation
    response = _invite(
        client_for(cast["partnership"]),
        PROVIDER_INVITE,
        django_capture_on_commit_callbacks,
        email="coach@leisure.example",
        organisation=organisation.pk,
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.role, invitation.organisation) == (Role.PROVIDER_STAFF, organisation)

    link = _link_in(StoredMessage.objects.get(recipient="coach@leisure.example"))
    done = _set_password(client, link)
    # Provider staff see no clinical data, so no authenticator is needed.
    assert done.url == reverse("core:home")
    assert User.objects.get(email="coach@leisure.example").role == Role.PROVIDER_STAFF


def test_partnership_staff_cannot_invite_to_a_provider_outside_their_area(
    cast, client_for, provider_in_area, django_capture_on_commit_callbacks
):
    elsewhere = ProviderFactory(organisation=ProviderOrganisationFactory()).organisation
    response = _invite(
        client_for(cast["partnership"]),
        PROVIDER_INVITE,
        django_capture_on_commit_callbacks,
        organisation=elsewhere.pk,
    )
    assert response.status_code == 200
    assert "Select the provider the person works for" in response.content.decode()
    assert not Invitation.objects.exists() and not StoredMessage.objects.exists()


def test_invitation_link_works_once(cast, client_for, client, django_capture_on_commit_callbacks):
    _invite(
        client_for(cast["lead"]), TEAM_INVITE, django_capture_on_commit_callbacks, role="clinician"
    )
    link = _link_in(StoredMessage.objects.get())
    _set_password(client, link)
    client.post(reverse("accounts:logout"))

    again = _set_password(client, link, password="someone-else-entirely-99")
    assert again.status_code == 410
    assert "This invitation has already been used" in again.content.decode()
    sam = User.objects.get(email="sam@example.nhs.uk")
    assert sam.check_password(NEW_PASSWORD)
    assert client.get(link).status_code == 410


def test_expired_invitation_link_shows_a_clear_page_and_changes_nothing(
    cast, client_for, client, django_capture_on_commit_callbacks
):
    _invite(
        client_for(cast["lead"]), TEAM_INVITE, django_capture_on_commit_callbacks, role="clinician"
    )
    link = _link_in(StoredMessage.objects.get())
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        page = client.get(link)
        posted = _set_password(client, link)
    assert page.status_code == posted.status_code == 410
    assert "This invitation has expired" in posted.content.decode()
    assert "Nothing has been changed" in posted.content.decode()
    assert not User.objects.filter(email="sam@example.nhs.uk").exists()


@pytest.mark.parametrize("token", ["made-up-token", "x" * 43, "x" * 500])
def test_forged_invitation_link_is_refused(client, db, token):
    link = reverse("accounts:invitation", kwargs={"token": token})
    for response in (client.get(link), _set_password(client, link)):
        assert response.status_code == 404
        assert "This invitation link is not valid" in response.content.decode()
    assert not User.objects.filter(role=Role.CLINICIAN).exists()


def test_inviting_again_ends_the_earlier_link(
    cast, client_for, client, django_capture_on_commit_callbacks
):
    lead_client = client_for(cast["lead"])
    _invite(lead_client, TEAM_INVITE, django_capture_on_commit_callbacks, role="clinician")
    first = _link_in(StoredMessage.objects.get())
    _invite(lead_client, TEAM_INVITE, django_capture_on_commit_callbacks, role="clinician")
    second = _link_in(StoredMessage.objects.order_by("created_at").last())
    assert second != first
    assert client.get(first).status_code == 410
    assert client.get(second).status_code == 200


def test_invitation_from_a_lead_who_has_since_left_no_longer_works(
    cast, client_for, client, django_capture_on_commit_callbacks
):
    lead = cast["lead"]
    _invite(client_for(lead), TEAM_INVITE, django_capture_on_commit_callbacks, role="clinician")
    User.objects.filter(pk=lead.pk).update(is_active=False)
    response = _set_password(client, _link_in(StoredMessage.objects.get()))
    assert response.status_code == 410
    assert not User.objects.filter(email="sam@example.nhs.uk").exists()


@pytest.mark.parametrize("email", ["clinician@example.nhs.uk", "CLINICIAN@example.NHS.uk"])
def test_invitation_to_an_email_that_has_an_account_is_refused(
    cast, client_for, email, django_capture_on_commit_callbacks
):
    response = _invite(
        client_for(cast["lead"]),
        TEAM_INVITE,
        django_capture_on_commit_callbacks,
        email=email,
        role="clinician",
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in content
    assert "An account with this email address already exists" in content
    assert "Sam Newstarter" in content  # what was typed is kept
    assert not Invitation.objects.exists() and not StoredMessage.objects.exists()


def test_empty_invitation_shows_nhs_style_errors(cast, client_for):
    response = client_for(cast["lead"]).post(TEAM_INVITE, {})
    content = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in content
    for message in (
        "Enter the person&#x27;s full name",
        "Enter the person&#x27;s email address",
        "Select the person&#x27;s role",
    ):
        assert message in content
    assert not Invitation.objects.exists()


def test_invalid_email_is_refused(cast, client_for):
    response = client_for(cast["lead"]).post(
        TEAM_INVITE, {"full_name": "Sam", "email": "not-an-email", "role": "clinician"}
    )
    assert "Enter an email address in the correct format" in response.content.decode()
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("role", ["partnership_staff", "provider_staff", "admin", ""])
def test_lead_cannot_grant_a_role_above_or_outside_their_own(cast, client_for, role):
    response = client_for(cast["lead"]).post(
        TEAM_INVITE, {"full_name": "Sam", "email": "sam@example.nhs.uk", "role": role}
    )
    assert response.status_code == 200
    assert "Select the person&#x27;s role" in response.content.decode()
    assert not Invitation.objects.exists()


def test_services_refuse_whoever_may_not_invite(cast, other_service, provider_organisation):
    attempts = [
        (cast["lead"], Role.CLINICIAN, other_service),  # another organisation
        (cast["lead"], Role.PROVIDER_STAFF, provider_organisation),
        (cast["clinician"], Role.CLINICIAN, cast["clinician"].organisation),
        (cast["provider"], Role.PROVIDER_STAFF, provider_organisation),
        (cast["partnership"], Role.PROVIDER_STAFF, provider_organisation),  # not in its area
        (cast["admin"], Role.CLINICIAN, other_service),  # admins use the Django admin
    ]
    for by, role, organisation in attempts:
        with pytest.raises(PermissionDenied):
            invitation_create(
                by=by,
                email="sam@example.nhs.uk",
                full_name="Sam",
                role=role,
                organisation=organisation,
            )
    assert not Invitation.objects.exists()


def test_password_problems_keep_the_invitation_usable(
    cast, client_for, client, django_capture_on_commit_callbacks
):
    _invite(
        client_for(cast["lead"]), TEAM_INVITE, django_capture_on_commit_callbacks, role="clinician"
    )
    link = _link_in(StoredMessage.objects.get())
    mismatch = _set_password(client, link, confirm="a-different-long-password")
    assert "The passwords do not match" in mismatch.content.decode()
    short = _set_password(client, link, password="short")
    assert short.status_code == 200 and "There is a problem" in short.content.decode()
    assert not User.objects.filter(email="sam@example.nhs.uk").exists()
    assert Invitation.objects.get().accepted_at is None
    assert _set_password(client, link).status_code == 302
