"""Lock-out behind the reverse proxy: the address is the one the trusted proxy saw, never one a
client writes in X-Forwarded-For; one address cannot spray many accounts either."""

import pytest
from django.test import Client

from tests import factories

LOGIN = "/login/"
TOKEN = "/api/v1/auth/token/"
ATTACKER, NEIGHBOUR, PROXY = "203.0.113.9", "198.51.100.8", "10.0.0.2"


@pytest.fixture(autouse=True)
def _fast_hashes(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _login(client, username, password, remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def test_a_forged_forwarded_for_does_not_escape_the_lock_out(client, applicant, settings):
    settings.TRUSTED_PROXIES = [PROXY]  # the attacker is not it
    for n in range(settings.AXES_FAILURE_LIMIT):
        _login(client, applicant.username, "wrong", ATTACKER, f"192.0.2.{n}")
    answer = _login(client, applicant.username, factories.PASSWORD, ATTACKER, "192.0.2.99")
    assert answer.status_code == 429 and "_auth_user_id" not in client.session


def test_behind_the_trusted_proxy_two_clients_are_told_apart(applicant, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    attacker, colleague = Client(), Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(attacker, applicant.username, "wrong", PROXY, ATTACKER)
    # the attacker writes the colleague's address first; the proxy appends the real one
    assert _login(attacker, applicant.username, factories.PASSWORD, PROXY,
                  f"{NEIGHBOUR}, {ATTACKER}").status_code == 429
    # the real person behind the same proxy is not locked out of their own account
    assert _login(colleague, applicant.username, factories.PASSWORD, PROXY,
                  NEIGHBOUR).status_code == 302
    assert "_auth_user_id" in colleague.session


def test_one_address_cannot_spray_many_accounts(applicant, settings):
    settings.AXES_ADDRESS_FAILURE_LIMIT = 12
    attacker, neighbour = Client(), Client()
    victims = [factories.make_user() for _ in range(settings.AXES_ADDRESS_FAILURE_LIMIT)]
    for victim in victims[:-1]:  # one guess per account: never the per-account limit
        assert _login(attacker, victim.username, "Summer-2025!", ATTACKER).status_code == 200
    assert _login(attacker, victims[-1].username, "Summer-2025!", ATTACKER).status_code == 429
    assert _login(attacker, applicant.username, factories.PASSWORD, ATTACKER).status_code == 429
    token = Client().post(TOKEN, {"username": victims[0].username,
                                  "password": factories.PASSWORD}, REMOTE_ADDR=ATTACKER)
    assert token.status_code == 429 and "token" not in token.json()
    # only that address: the same accounts from elsewhere log in
    assert _login(neighbour, victims[0].username, factories.PASSWORD, NEIGHBOUR).status_code == 302


def test_a_success_of_the_attackers_own_account_does_not_reset_the_address(applicant,
                                                                          settings):
    settings.AXES_ADDRESS_FAILURE_LIMIT = 6
    own = factories.make_user()
    attacker = Client()
    victims = [factories.make_user() for _ in range(settings.AXES_ADDRESS_FAILURE_LIMIT)]
    for victim in victims[:-1]:
        _login(attacker, victim.username, "Summer-2025!", ATTACKER)
    assert _login(Client(), own.username, factories.PASSWORD, ATTACKER).status_code == 302
    _login(attacker, victims[-1].username, "Summer-2025!", ATTACKER)
    assert _login(attacker, applicant.username, factories.PASSWORD, ATTACKER).status_code == 429


def test_the_address_limit_is_set_higher_than_one_accounts(settings):
    """An office behind one address shares it: a few mistyped passwords lock nobody else."""
    assert settings.AXES_ADDRESS_FAILURE_LIMIT >= 5 * settings.AXES_FAILURE_LIMIT
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"], ["ip_address"]]
