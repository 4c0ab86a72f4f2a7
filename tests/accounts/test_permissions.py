import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from talkingmoves.accounts.models import Organisation, Role, User
from talkingmoves.accounts.permissions import Action, can
from talkingmoves.accounts.scoping import get_for_user_or_404, visible_to
from tests.factories import ClinicianFactory, ProviderOrganisationFactory


def test_clinician_may_see_service_users_but_not_the_dashboard(clinician):
    assert can(clinician, Action.VIEW_SERVICE_USERS)
    assert not can(clinician, Action.VIEW_SERVICE_DASHBOARD)


def test_partnership_staff_never_see_clinical_data(partnership_staff):
    assert can(partnership_staff, Action.MANAGE_DIRECTORY)
    assert not can(partnership_staff, Action.VIEW_SERVICE_USERS)


def test_provider_staff_answer_referrals_only(provider_staff):
    assert can(provider_staff, Action.ANSWER_REFERRALS)
    assert not can(provider_staff, Action.VIEW_SERVICE_USERS)
    assert not can(provider_staff, Action.SEARCH_DIRECTORY)


def test_object_in_another_organisation_is_refused(clinician, other_service):
    assert can(clinician, Action.VIEW_SERVICE_USERS, clinician.organisation)
    assert not can(clinician, Action.VIEW_SERVICE_USERS, other_service)


def test_inactive_user_may_do_nothing(clinician):
    clinician.is_active = False
    assert not can(clinician, Action.VIEW_SERVICE_USERS)


def test_scoping_hides_other_organisations(clinician, other_service):
    assert list(visible_to(clinician, Organisation)) == [clinician.organisation]
    with pytest.raises(Http404):
        get_for_user_or_404(clinician, Organisation, public_id=other_service.public_id)


def test_scoping_lets_admins_see_everything(admin_user, other_service):
    assert get_for_user_or_404(admin_user, Organisation, public_id=other_service.public_id)


def test_colleagues_are_scoped_to_the_organisation(clinician, lead, other_clinician):
    assert set(visible_to(clinician, User)) == {clinician, lead}


def test_an_unscoped_model_is_an_error_not_a_leak(clinician):
    from talkingmoves.audit.models import AccessLog

    with pytest.raises(LookupError):
        visible_to(clinician, AccessLog)


def test_role_must_match_the_kind_of_organisation(db):
    user = ClinicianFactory.build(organisation=ProviderOrganisationFactory(), role=Role.CLINICIAN)
    with pytest.raises(ValidationError) as error:
        user.full_clean()
    assert "organisation" in error.value.message_dict


def test_database_refuses_a_role_without_an_organisation(db):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        User.objects.bulk_create([User(email="x@example.com", full_name="X", role=Role.CLINICIAN)])
