"""API tokens on a two-factor server, expiry, log-out, and initial passwords."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from qualityfund.core.accounts import passwords
from qualityfund.core.accounts.models import ApiToken
from tests import factories

TOKEN, LOGOUT = "/api/v1/auth/token/", "/api/v1/auth/logout/"
STAFF_READS = ("/api/v1/review/queue/", "/api/v1/funding/plans/")


def _token(username, **extra) -> str:
    answer = APIClient().post(TOKEN, {"username": username, "password": factories.PASSWORD,
                                      **extra})
    assert answer.status_code == 200, answer.json()
    return answer.json()["token"]


def _with(key) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_a_password_only_token_reads_neither_the_queue_nor_the_plans_on_a_two_factor_server(
        officer, settings, submit):
    """The token was issued while the server asked for the password alone (or before the
    officer had an authenticator); turning STAFF_REQUIRE_2FA on must stop it, as it stops an
    unverified page session."""
    submit()
    key = _token(officer.username)
    settings.STAFF_REQUIRE_2FA = True
    for url in STAFF_READS:
        answer = _with(key).get(url)
        assert answer.status_code == 403, url
        assert "两步验证" in answer.json()["detail"] and "results" not in answer.json()
    # after the authenticator's code, the officer reads the queue again
    device = TOTPDevice.objects.create(user=officer, name="手机", confirmed=True)
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0):06d}"
    verified = _with(_token(officer.username, otp_token=code))
    assert verified.get(STAFF_READS[0]).json()["count"] == 1
    assert verified.get(STAFF_READS[1]).status_code == 200


def test_an_expired_token_answers_401_and_says_why(applicant):
    key = _token(applicant.username)
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    answer = _with(key).get("/api/v1/organisation/")
    assert answer.status_code == 401 and answer.json()["detail"] == "令牌已过期，请重新获取令牌"


def test_log_out_ends_the_token_used_and_no_other(applicant):
    first, second = _token(applicant.username), _token(applicant.username)
    assert _with(first).post(LOGOUT).status_code == 204
    assert _with(first).get("/api/v1/organisation/").status_code == 401
    assert _with(second).get("/api/v1/organisation/").status_code == 200


def test_log_out_with_the_web_session_ends_it_and_every_token(client, applicant):
    key = _token(applicant.username)
    client.force_login(applicant)
    assert client.post(LOGOUT).status_code == 204
    assert "_auth_user_id" not in client.session
    assert _with(key).get("/api/v1/organisation/").status_code == 401


def test_an_initial_password_gets_no_token_until_it_is_changed(applicant, admin_user):
    issued = passwords.issue_password(applicant, by=admin_user)
    answer = APIClient().post(TOKEN, {"username": applicant.username, "password": issued})
    assert answer.status_code == 403 and "请先修改密码" in answer.json()["detail"]
    assert not ApiToken.objects.exists()


def test_an_expired_staff_password_stops_its_tokens(client_for, officer, settings):
    api = client_for(officer)
    officer.password_changed_at = timezone.now() - timedelta(days=91)
    officer.save()
    settings.STAFF_PASSWORD_MAX_AGE_DAYS = 90
    answer = api.get("/api/v1/review/queue/")
    assert answer.status_code == 403 and "超过90天" in answer.json()["detail"]


@pytest.mark.parametrize("header", ["Token", "Token a b", "Bearer whatever"])
def test_a_malformed_header_is_refused(db, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    assert client.get("/api/v1/organisation/").status_code in (401, 403)
