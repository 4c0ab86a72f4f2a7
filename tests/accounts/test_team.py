"""The pages where leads and partnership staff run accounts: who reaches which account, and
what each change does (issue 16, item 6)."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from talkingmoves.accounts.models import Role, User
from talkingmoves.accounts.permissions import Action, can
from talkingmoves.accounts.team_selectors import manageable_accounts
from talkingmoves.audit.models import AccessLog
from tests.conftest import signed_in_client
from tests.factories import ProviderStaffFactory, totp_device_for
from tests.providers.factories import ProviderFactory

ACTIONS = ("account_deactivate", "account_reactivate", "account_two_factor_reset", "account_role")


def _url(name, account):
    return reverse(f"accounts:{name}", kwargs={"public_id": account.public_id})


@pytest.fixture
def provider_in_area(provider_organisation, partnership):
    return ProviderFactory(organisation=provider_organisation, partnership=partnership)


def test_only_leads_manage_a_team_and_only_partnership_staff_provider_accounts(cast):
    for role, user in cast.items():
        assert can(user, Action.MANAGE_TEAM) == (role == "lead")
        assert can(user, Action.MANAGE_PROVIDER_ACCOUNTS) == (role == "partnership")


# --- Who reaches an account --------------------------------------------------------------


@pytest.mark.parametrize("name", ["account_detail", *ACTIONS])
def test_anonymous_users_are_sent_to_sign_in(client, cast, name):
    for response in (
        client.get(_url(name, cast["clinician"])),
        client.post(_url(name, cast["clinician"])),
    ):
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("role", ["clinician", "provider", "admin"])
@pytest.mark.parametrize("name", ["account_detail", *ACTIONS])
def test_roles_that_manage_no_accounts_get_403(cast, client_for, role, name):
    client = client_for(cast[role])
    response = (
        client.get(_url(name, cast["clinician"]))
        if name == "account_detail"
        else client.post(_url(name, cast["clinician"]), {"role": "service_lead"})
    )
    assert response.status_code == 403
    assert User.objects.get(pk=cast["clinician"].pk).is_active


@pytest.mark.parametrize("name", ["account_detail", *ACTIONS])
def test_another_organisations_accounts_are_not_found(cast, client_for, provider_in_area, name):
    # A lead cannot reach another service's clinician or a provider's staff; partnership
    # staff cannot reach a service's clinician.
    for manager, account in [
        (cast["lead"], cast["other_clinician"]),
        (cast["lead"], cast["provider"]),
        (cast["partnership"], cast["clinician"]),
    ]:
        client = client_for(manager)
        url = _url(name, account)
        response = (
            client.get(url) if name == "account_detail" else client.post(url, {"role": "clinician"})
        )
        assert response.status_code == 404
    assert (
        not AccessLog.objects.exclude(action="view")
        .filter(actor__in=[cast["lead"], cast["partnership"]])
        .exists()
    )


def test_provider_staff_outside_the_partnerships_area_are_not_found(
    cast, client_for, provider_in_area
):
    elsewhere = ProviderStaffFactory()  # a provider organisation with no listing in the area
    assert elsewhere not in manageable_accounts(cast["partnership"])
    assert client_for(cast["partnership"]).get(_url("account_detail", elsewhere)).status_code == 404


@pytest.mark.parametrize("name", ACTIONS)
def test_account_changes_are_post_only(cast, client_for, name):
    response = client_for(cast["lead"]).get(_url(name, cast["clinician"]))
    assert response.status_code == 405


def test_an_unknown_account_is_not_found(cast, client_for):
    import uuid

    url = reverse("accounts:account_detail", kwargs={"public_id": uuid.uuid4()})
    assert client_for(cast["lead"]).get(url).status_code == 404


@pytest.mark.parametrize("name", ACTIONS)
def test_nobody_changes_their_own_account_here(cast, client_for, name):
    lead = cast["lead"]
    response = client_for(lead).post(_url(name, lead), {"role": "clinician"})
    assert response.status_code == 403
    lead.refresh_from_db()
    assert lead.is_active and lead.role == Role.SERVICE_LEAD


# --- Lists -------------------------------------------------------------------------------


def test_team_lists_the_leads_own_service_only(cast, client_for):
    content = client_for(cast["lead"]).get(reverse("accounts:team")).content.decode()
    assert cast["clinician"].full_name in content
    assert cast["other_clinician"].full_name not in content
    assert cast["provider"].full_name not in content
    assert f'href="{reverse("accounts:team")}"' in content  # the "Team" menu entry


def test_provider_accounts_lists_staff_of_providers_in_the_area(cast, client_for, provider_in_area):
    content = (
        client_for(cast["partnership"]).get(reverse("accounts:provider_accounts")).content.decode()
    )
    assert cast["provider"].full_name in content
    assert cast["clinician"].full_name not in content
    assert "Provider accounts" in content


def test_partnership_without_providers_is_told_why_no_one_can_be_invited(cast, client_for):
    page = client_for(cast["partnership"]).get(reverse("accounts:provider_accounts_invite"))
    assert "there is no one to invite" in page.content.decode()


# --- Changes -----------------------------------------------------------------------------


def test_lead_deactivates_a_clinician_who_is_signed_out_and_cannot_sign_in(cast, client_for):
    clinician = cast["clinician"]
    their_session = signed_in_client(clinician)
    response = client_for(cast["lead"]).post(_url("account_deactivate", clinician))
    assert response.status_code == 302
    clinician.refresh_from_db()
    assert not clinician.is_active
    assert their_session.get(reverse("core:home")).url.startswith(reverse("accounts:login"))
    assert AccessLog.objects.filter(
        actor=cast["lead"], action="account_deactivated", object_id=str(clinician.public_id)
    ).exists()

    client_for(cast["lead"]).post(_url("account_reactivate", clinician))
    clinician.refresh_from_db()
    assert clinician.is_active
    assert AccessLog.objects.filter(actor=cast["lead"], action="account_reactivated").count() == 1


def test_partnership_staff_deactivate_a_providers_staff(cast, client_for, provider_in_area):
    provider_staff = cast["provider"]
    client_for(cast["partnership"]).post(_url("account_deactivate", provider_staff))
    provider_staff.refresh_from_db()
    assert not provider_staff.is_active


def test_reset_authenticator_makes_the_person_enrol_again(cast, client_for):
    clinician = cast["clinician"]
    their_session = signed_in_client(clinician)
    StaticDevice.objects.create(user=clinician, name="Recovery codes")
    assert client_for(cast["lead"]).get(_url("account_detail", clinician)).status_code == 200

    response = client_for(cast["lead"]).post(_url("account_two_factor_reset", clinician))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=clinician).exists()
    assert not StaticDevice.objects.filter(user=clinician).exists()
    assert AccessLog.objects.filter(actor=cast["lead"], action="2fa_reset").count() == 1
    # The session verified with the old authenticator is no longer verified.
    moved_on = their_session.get(reverse("core:home"))
    assert moved_on.url.startswith(reverse("accounts:two_factor"))
    enrol = their_session.get(moved_on.url)
    assert "Set up two-factor authentication" in enrol.content.decode()


def test_lead_changes_a_clinicians_role_within_the_service(cast, client_for):
    clinician = cast["clinician"]
    response = client_for(cast["lead"]).post(
        _url("account_role", clinician), {"role": "service_lead"}
    )
    assert response.status_code == 302
    clinician.refresh_from_db()
    assert clinician.role == Role.SERVICE_LEAD
    assert AccessLog.objects.filter(actor=cast["lead"], action="role_changed").count() == 1


@pytest.mark.parametrize(
    ("role", "message"),
    [
        ("", "Select the person&#x27;s new role"),
        ("partnership_staff", "Select one of the roles shown"),
        ("provider_staff", "Select one of the roles shown"),
        ("superuser", "Select one of the roles shown"),
    ],
)
def test_role_change_bad_input_shows_an_error_and_changes_nothing(cast, client_for, role, message):
    clinician = cast["clinician"]
    response = client_for(cast["lead"]).post(_url("account_role", clinician), {"role": role})
    content = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in content and message in content
    clinician.refresh_from_db()
    assert clinician.role == Role.CLINICIAN
    assert not AccessLog.objects.filter(action="role_changed").exists()


def test_partnership_staff_cannot_raise_provider_staff_to_another_role(
    cast, client_for, provider_in_area
):
    provider_staff = cast["provider"]
    response = client_for(cast["partnership"]).post(
        _url("account_role", provider_staff), {"role": "partnership_staff"}
    )
    assert response.status_code == 200
    provider_staff.refresh_from_db()
    assert provider_staff.role == Role.PROVIDER_STAFF


def test_account_page_offers_only_what_applies(cast, client_for):
    totp_device_for(cast["clinician"])
    content = (
        client_for(cast["lead"]).get(_url("account_detail", cast["clinician"])).content.decode()
    )
    assert "Reset authenticator" in content and "Deactivate account" in content
    own = client_for(cast["lead"]).get(_url("account_detail", cast["lead"])).content.decode()
    assert "You cannot change your own account here" in own
    assert "Deactivate account" not in own
