"""The API's throttles are on, keyed on the client's real address (or the user), with a
Chinese answer."""

import pytest
from rest_framework.test import APIClient
from rest_framework.views import APIView

from qualityfund.api.throttling import AnonymousThrottle, SignedInThrottle

URL = "/api/v1/guides/"  # readable without log-in
ATTACKER, OTHER, PROXY = "203.0.113.9", "198.51.100.8", "10.0.0.2"


@pytest.fixture
def rates(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"anon": "3/min", "user": "3/min"}}


def _get(client, remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.get(URL, **extra)


def test_every_view_is_throttled_by_the_project_s_classes():
    assert APIView.throttle_classes == [AnonymousThrottle, SignedInThrottle]


def test_a_forged_forwarded_for_does_not_escape_the_throttle(db, rates, settings):
    settings.TRUSTED_PROXIES = [PROXY]
    client = APIClient()
    for n in range(3):
        assert _get(client, ATTACKER, f"192.0.2.{n}").status_code == 200
    answer = _get(client, ATTACKER, "192.0.2.99")
    assert answer.status_code == 429 and int(answer["Retry-After"]) > 0
    assert answer.json()["detail"].startswith("请求过于频繁，请") and "秒后再试" in answer.json()[
        "detail"]
    assert _get(client, OTHER).status_code == 200  # another address is not held back


def test_behind_the_trusted_proxy_two_clients_are_told_apart(db, rates, settings):
    settings.TRUSTED_PROXIES = [PROXY]
    client = APIClient()
    for _ in range(3):
        _get(client, PROXY, ATTACKER)
    assert _get(client, PROXY, f"{OTHER}, {ATTACKER}").status_code == 429
    assert _get(client, PROXY, OTHER).status_code == 200


def test_a_signed_in_user_is_counted_as_the_user(client_for, applicant, other_applicant,
                                                 rates):
    mine = client_for(applicant)
    for _ in range(3):
        assert mine.get(URL).status_code == 200
    assert mine.get(URL).status_code == 429
    assert client_for(other_applicant).get(URL).status_code == 200


def test_the_token_request_is_throttled_too(applicant, rates):
    client = APIClient()
    for _ in range(3):
        client.post("/api/v1/auth/token/", {"username": "nobody", "password": "x"},
                    REMOTE_ADDR=ATTACKER)
    answer = client.post("/api/v1/auth/token/", {"username": applicant.username,
                                                 "password": "x"}, REMOTE_ADDR=ATTACKER)
    assert answer.status_code == 429 and "token" not in answer.json()
