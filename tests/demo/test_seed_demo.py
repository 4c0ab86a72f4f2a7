import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from talkingmoves.accounts.models import Organisation, User

DEMO_EMAILS = {
    "clinician@demo.test",
    "clinician@other.demo.test",
    "lead@demo.test",
    "partnership@demo.test",
    "provider@demo.test",
    "admin@demo.test",
}


def test_seed_demo_is_idempotent(db):
    call_command("seed_demo")
    counts = (User.objects.count(), Organisation.objects.count())
    call_command("seed_demo")
    assert (User.objects.count(), Organisation.objects.count()) == counts
    assert set(User.objects.values_list("email", flat=True)) >= DEMO_EMAILS
    assert Organisation.objects.filter(kind="talking_therapies").count() == 2
    assert Organisation.objects.filter(kind="active_partnership").count() == 2


def test_demo_clinicians_are_in_different_services(db):
    call_command("seed_demo")
    one = User.objects.get(email="clinician@demo.test")
    other = User.objects.get(email="clinician@other.demo.test")
    assert one.organisation != other.organisation


def test_demo_password_works(db):
    call_command("seed_demo")
    client = Client()
    response = client.post(
        "/account/sign-in/", {"username": "provider@demo.test", "password": "TalkingMoves-demo-1"}
    )
    assert response.status_code == 302


def test_seed_demo_refuses_where_demo_data_is_not_allowed(db, settings):
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError):
        call_command("seed_demo")
    assert not User.objects.exists()
