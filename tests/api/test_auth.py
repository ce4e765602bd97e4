"""``POST /api/v1/auth/token/``, through django-axes' lock-out."""

import pytest
from rest_framework.test import APIClient

from tests import factories

URL = "/api/v1/auth/token/"


@pytest.fixture
def client():
    return APIClient()


def _token(client, username, password):
    return client.post(URL, {"username": username, "password": password})


def test_a_token_for_the_right_password_opens_the_api(client, applicant):
    answer = _token(client, applicant.username, factories.PASSWORD)
    assert answer.status_code == 200
    token = answer.json()["token"]
    assert answer.json()["second_factor"] is False and answer.json()["expires_at"]
    assert _token(client, applicant.username, factories.PASSWORD).json()["token"] != token
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/organisation/").json()["id"] == applicant.organisation_id
    applicant.refresh_from_db()
    assert applicant.last_login is not None


def test_a_wrong_password(client, applicant):
    answer = _token(client, applicant.username, "wrong-password")
    assert answer.status_code == 400
    assert answer.json() == {"detail": "登录名或密码不正确", "field": None}


def test_missing_credentials_name_the_field(client):
    answer = client.post(URL, {"username": "someone"})
    assert answer.status_code == 400
    assert answer.json()["field"] == "password"
    assert answer.json()["detail"].startswith("密码：")


def test_an_inactive_user_gets_no_token(client, applicant):
    applicant.is_active = False
    applicant.save()
    assert _token(client, applicant.username, factories.PASSWORD).status_code == 400


def test_five_failures_lock_the_account_out(client, applicant, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _token(client, applicant.username, "wrong-password").status_code == 400
    answer = _token(client, applicant.username, "wrong-password")
    assert answer.status_code == 429
    assert "登录失败次数过多" in answer.json()["detail"] and "锁定30分钟" in answer.json()["detail"]
    # Locked: even the right password gets no token now.
    answer = _token(client, applicant.username, factories.PASSWORD)
    assert answer.status_code == 429
    assert answer["Content-Type"] == "application/json" and answer["Retry-After"] == "1800"
    assert "token" not in answer.json()


def test_a_success_resets_the_failure_count(client, applicant, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _token(client, applicant.username, "wrong-password")
    assert _token(client, applicant.username, factories.PASSWORD).status_code == 200
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _token(client, applicant.username, "wrong-password")
    assert _token(client, applicant.username, factories.PASSWORD).status_code == 200


def test_the_lock_out_is_shared_with_the_login_page(client, applicant, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _token(client, applicant.username, "wrong-password")
    page = client.post("/login/", {"username": applicant.username,
                                   "password": factories.PASSWORD})
    assert page.status_code == 429


@pytest.fixture
def authenticator(applicant):
    """A confirmed authenticator app of the applicant, and a function giving its current code."""
    from django_otp.oath import TOTP

    from qualityfund.core.accounts import two_factor

    device = two_factor.start_enrolment(applicant)
    device.confirmed = True
    device.save()

    def code() -> str:
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        return f"{totp.token():0{device.digits}d}"

    return code


def test_a_user_with_an_authenticator_needs_its_code(client, applicant, authenticator):
    answer = _token(client, applicant.username, factories.PASSWORD)
    assert answer.status_code == 400
    assert answer.json()["field"] == "otp_token" and "两步验证" in answer.json()["detail"]
    wrong = "000000" if authenticator() != "000000" else "111111"
    answer = client.post(URL, {"username": applicant.username, "password": factories.PASSWORD,
                               "otp_token": wrong})
    assert answer.status_code == 400 and answer.json()["field"] == "otp_token"


def test_the_right_code_gives_a_token(client, applicant, authenticator):
    answer = client.post(URL, {"username": applicant.username, "password": factories.PASSWORD,
                               "otp_token": authenticator()})
    assert answer.status_code == 200 and answer.json()["token"]
    assert answer.json()["second_factor"] is True


def test_a_code_without_an_authenticator_does_not_make_a_two_factor_token(client, officer):
    answer = client.post(URL, {"username": officer.username, "password": factories.PASSWORD,
                               "otp_token": "123456"})
    assert answer.status_code == 200 and answer.json()["second_factor"] is False


def test_staff_without_two_factor_get_no_token_when_it_is_required(client, officer, settings):
    settings.STAFF_REQUIRE_2FA = True
    answer = _token(client, officer.username, factories.PASSWORD)
    assert answer.status_code == 403
    assert "两步验证" in answer.json()["detail"]
    settings.STAFF_REQUIRE_2FA = False
    assert _token(client, officer.username, factories.PASSWORD).status_code == 200
