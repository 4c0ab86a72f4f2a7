"""The reads every signed-in request makes (session, user with organisation, authenticator
device) are compiled once and give what Django's own reads give: each call reads its own
key, never the first call's, and what should not be found is not."""

from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice

from talkingmoves.accounts.models import User
from talkingmoves.accounts.session_store import SessionStore
from talkingmoves.accounts.signed_in_reads import totp_device, user_with_organisation
from tests import factories
from tests.conftest import signed_in_client

HOME = "/"


def _fields(instance) -> dict:
    return {
        field.attname: getattr(instance, field.attname)
        for field in type(instance)._meta.concrete_fields
    }


def test_each_user_read_is_that_user_with_their_organisation(
    clinician, lead, django_assert_num_queries
):
    other = factories.ProviderStaffFactory()
    for user in (clinician, other, clinician):
        read = user_with_organisation(user.pk)
        assert _fields(read) == _fields(User.objects.get(pk=user.pk))
        with django_assert_num_queries(0):
            assert read.organisation.name == user.organisation.name
            assert _fields(read.organisation) == _fields(user.organisation)


def test_a_user_with_no_organisation_is_read_with_none(db, django_assert_num_queries):
    admin = factories.AdminFactory()
    read = user_with_organisation(admin.pk)
    assert read.email == admin.email
    with django_assert_num_queries(0):
        assert read.organisation is None


def test_no_user_is_read_for_an_id_nobody_has(clinician):
    assert user_with_organisation(clinician.pk + 1000) is None


def test_each_device_read_is_that_device(clinician, lead):
    devices = [factories.totp_device_for(user) for user in (clinician, lead)]
    for device in (*devices, devices[0]):
        assert _fields(totp_device(device.pk)) == _fields(device)
    assert totp_device(devices[1].pk + 1000) is None


def _session_for(data: dict, *, expires_in: timedelta) -> str:
    store = DjangoSessionStore()
    store.update(data)
    store.set_expiry(int(expires_in.total_seconds()))
    store.save()
    return store.session_key


@pytest.mark.django_db
def test_each_session_read_is_that_session_while_it_lives():
    first = _session_for({"n": 1}, expires_in=timedelta(hours=1))
    second = _session_for({"n": 2}, expires_in=timedelta(hours=1))
    assert [SessionStore(key).load()["n"] for key in (first, second, first)] == [1, 2, 1]
    Session.objects.filter(session_key=second).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    expired = SessionStore(second)
    assert expired.load() == {}
    # As Django's store: the dead key is not reused when the session is saved again.
    assert expired.session_key is None


def test_a_signed_in_page_still_needs_the_session_verified(clinician):
    assert signed_in_client(clinician).get(HOME).status_code == 200
    assert signed_in_client(clinician, verified=False).get(HOME).status_code == 302


def test_someone_elses_device_does_not_verify_a_session(clinician, lead):
    client = signed_in_client(clinician, verified=False)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = factories.totp_device_for(lead).persistent_id
    session.save()
    assert client.get(HOME).status_code == 302
    assert DEVICE_ID_SESSION_KEY not in client.session


@pytest.mark.parametrize("device_id", ["x", "99999999999999999999", "", "1.5", "\u00b2"])
def test_a_malformed_or_out_of_range_device_id_verifies_nothing(clinician, device_id):
    client = signed_in_client(clinician, verified=False)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = f"otp_totp.totpdevice/{device_id}"
    session.save()
    assert client.get(HOME).status_code == 302


def test_a_recovery_code_session_is_read_by_django_otps_own_path(clinician):
    factories.totp_device_for(clinician)
    static = StaticDevice.objects.create(user=clinician, name="Recovery codes")
    static.token_set.create(token="abcdefghjk")
    client = signed_in_client(clinician, verified=False)
    assert client.post(reverse("accounts:two_factor"), {"token": "abcdefghjk"}).status_code == 302
    assert client.session[DEVICE_ID_SESSION_KEY] == static.persistent_id
    assert client.get(HOME).status_code == 200
