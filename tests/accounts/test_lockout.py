"""Sign-in lockout on the internet: per account at an address, plus a cap per address, with
the address read from X-Forwarded-For behind the load balancer."""

import pytest

from tests import factories
from tests.factories import TEST_PASSWORD

LOGIN = "/account/sign-in/"
BALANCER = "10.0.0.2"  # every request reaches the web servers from the load balancer


@pytest.fixture(autouse=True)
def _behind_one_load_balancer(settings):
    settings.TRUSTED_PROXY_HOPS = 1
    settings.SIGN_IN_FAILURES_PER_ADDRESS = 8


def _sign_in(client, email, *, address, password=TEST_PASSWORD):
    return client.post(
        LOGIN,
        {"username": email, "password": password},
        REMOTE_ADDR=BALANCER,
        HTTP_X_FORWARDED_FOR=address,
    )


def test_one_address_cannot_spray_a_password_across_accounts(client, service):
    accounts = [factories.ClinicianFactory(organisation=service) for _ in range(9)]
    # One guess each: no account comes near its limit of 5, but the eighth reaches the cap.
    guesses = [
        _sign_in(client, account.email, address="203.0.113.66", password="Summer2026!")
        for account in accounts[:8]
    ]
    assert [guess.status_code for guess in guesses] == [200] * 7 + [429]
    # Over the cap, even a right password is refused from that address.
    refused = _sign_in(client, accounts[8].email, address="203.0.113.66")
    assert refused.status_code == 429
    assert "too many unsuccessful attempts to sign in from your network" in refused.text
    # The same account from its own address is unaffected.
    assert _sign_in(client, accounts[8].email, address="198.51.100.7").status_code == 302


def test_failures_from_elsewhere_do_not_lock_the_clinician_out(client, clinician):
    for _ in range(7):
        _sign_in(client, clinician.email, address="203.0.113.66", password="wrong-password")
    assert _sign_in(client, clinician.email, address="203.0.113.66").status_code == 429
    assert _sign_in(client, clinician.email, address="198.51.100.7").status_code == 302


def test_five_failures_at_one_address_lock_that_account_there(client, clinician):
    for _ in range(5):
        _sign_in(client, clinician.email, address="198.51.100.7", password="wrong-password")
    locked = _sign_in(client, clinician.email, address="198.51.100.7")
    assert locked.status_code == 429
    assert "unsuccessful attempts to sign in to this account" in locked.text


def test_without_a_trusted_proxy_the_forwarded_header_is_ignored(client, clinician, settings):
    # Otherwise an attacker could claim a fresh address with every request.
    settings.TRUSTED_PROXY_HOPS = 0
    for n in range(5):
        _sign_in(client, clinician.email, address=f"203.0.113.{n}", password="wrong-password")
    assert _sign_in(client, clinician.email, address="198.51.100.7").status_code == 429
