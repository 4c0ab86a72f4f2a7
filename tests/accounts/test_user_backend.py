"""The sign-in backend loads the signed-in user with their organisation (every page's
header names it), keeps sessions started under Django's plain ModelBackend, and checks a
wrong password once."""

from django.contrib.auth.backends import ModelBackend
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY

from talkingmoves.accounts.backends import PLAIN_BACKEND, UserWithOrganisationBackend
from talkingmoves.accounts.models import User
from tests import factories
from tests.conftest import signed_in_client
from tests.factories import TEST_PASSWORD

SIGN_IN = "/account/sign-in/"


def test_the_signed_in_user_comes_with_their_organisation(clinician, django_assert_num_queries):
    user = UserWithOrganisationBackend().get_user(clinician.pk)
    with django_assert_num_queries(0):
        assert user.organisation.name == clinician.organisation.name


def test_a_page_asks_for_the_organisation_no_more(clinician, django_assert_max_num_queries):
    client = signed_in_client(clinician)
    first = client.get("/")
    assert first.status_code == 200
    assert clinician.organisation.name in first.text
    with django_assert_max_num_queries(50) as queries:
        client.get("/")
    by_id = [
        q["sql"] for q in queries.captured_queries if 'FROM "accounts_organisation"' in q["sql"]
    ]
    assert by_id == []


def test_a_session_started_under_the_plain_backend_still_works(clinician):
    client = Client()
    client.force_login(clinician, backend=PLAIN_BACKEND)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = factories.totp_device_for(clinician).persistent_id
    session.save()
    page = client.get("/")
    assert page.status_code == 200
    assert clinician.full_name in page.text
    assert client.session["_auth_user_backend"] == PLAIN_BACKEND


def test_a_wrong_password_is_checked_once(service, monkeypatch):
    user = factories.ClinicianFactory(organisation=service)
    checked = []
    original = User.check_password

    def counting(self, raw):
        checked.append(self.pk)
        return original(self, raw)

    monkeypatch.setattr(User, "check_password", counting)
    client = Client()
    refused = client.post(SIGN_IN, {"username": user.email, "password": "not the password"})
    assert refused.status_code == 200
    assert "_auth_user_id" not in client.session
    assert checked == [user.pk]
    signed_in = client.post(SIGN_IN, {"username": user.email, "password": TEST_PASSWORD})
    assert signed_in.status_code == 302
    assert (
        client.session["_auth_user_backend"]
        == "talkingmoves.accounts.backends.UserWithOrganisationBackend"
    )


def test_a_deactivated_user_is_not_restored(clinician):
    clinician.is_active = False
    clinician.save(update_fields=["is_active"])
    assert UserWithOrganisationBackend().get_user(clinician.pk) is None
    assert ModelBackend().get_user(clinician.pk) is None
