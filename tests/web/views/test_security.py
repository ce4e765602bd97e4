"""The account page: two-factor log-in with an authenticator app (TOTP), the enrolment code
of bureau staff, and the user's API tokens."""

import time

from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from qualityfund.core.accounts import tokens, two_factor
from qualityfund.core.accounts.models import Role
from tests.factories import PASSWORD, make_user


def _code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The app's code now, or ``steps_ahead`` 30-second steps later (a used code is spent)."""
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits,
                drift=steps_ahead)
    return f"{code:06d}"


def _enrol(client, user) -> TOTPDevice:
    client.force_login(user)
    client.post(reverse("web:security-start"), {"enrolment_code": _code_for(user)})
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("web:security-confirm"), {"otp_token": _code(device)},
                           follow=True)
    assert "已启用两步验证" in response.content.decode()
    client.logout()
    device.refresh_from_db()
    return device


def _code_for(user) -> str:
    return two_factor.issue_enrolment_code(user, by=make_user(Role.ADMIN))


def test_enrolment_shows_a_qr_code_and_needs_a_right_code(client, db):
    user = make_user(Role.OFFICER)
    client.force_login(user)
    client.post(reverse("web:security-start"), {"enrolment_code": _code_for(user)})
    page = client.get(reverse("web:security")).content.decode()
    assert "<svg" in page and "otpauth://totp/" in page
    response = client.post(reverse("web:security-confirm"), {"otp_token": "000000"},
                           follow=True)
    assert "动态验证码不正确" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def test_login_then_asks_for_the_code(client, db):
    user = make_user(Role.OFFICER)
    device = _enrol(client, user)

    response = client.post(reverse("web:login"), {"username": user.username,
                                                  "password": PASSWORD})
    assert response.url == reverse("web:login-otp")
    assert "_auth_user_id" not in client.session

    wrong = client.post(reverse("web:login-otp"), {"otp_token": "12345"})
    assert wrong.status_code == 400 and "_auth_user_id" not in client.session

    time.sleep(1.1)  # django-otp throttles: after one failure the next try waits a second
    client.post(reverse("web:login-otp"), {"otp_token": _code(device, steps_ahead=1)})
    assert client.session["_auth_user_id"] == str(user.pk)


def test_staff_without_two_factor_are_sent_to_enrol_when_required(client, db, settings):
    settings.STAFF_REQUIRE_2FA = True
    officer = make_user(Role.OFFICER)
    applicant = make_user()
    client.force_login(officer)
    assert client.get(reverse("web:home")).url == reverse("web:security")
    client.force_login(applicant)
    assert client.get(reverse("web:guide-list")).status_code == 200


def test_the_otp_page_without_a_password_step_goes_back_to_login(client, db):
    response = client.get(reverse("web:login-otp"))
    assert response.url == reverse("web:login")


def test_staff_with_the_password_alone_cannot_enrol_on_a_two_factor_server(client, db,
                                                                          settings):
    """The attacker has the officer's password and logs in; the server asks for two-factor
    log-in and offers enrolment, but without the administrator's code nothing is bound."""
    settings.STAFF_REQUIRE_2FA = True
    officer = make_user(Role.OFFICER)
    client.force_login(officer)
    page = client.get(reverse("web:security")).content.decode()
    assert 'name="enrolment_code"' in page and "绑定码" in page
    for guess in ("", "AAAAA-AAAAA"):
        answer = client.post(reverse("web:security-start"), {"enrolment_code": guess},
                             follow=True)
        assert "绑定码" in answer.content.decode()
    assert not TOTPDevice.objects.filter(user=officer).exists()
    assert client.get(reverse("web:review-queue")).url == reverse("web:security")


def test_another_session_with_the_password_neither_sees_nor_confirms_the_pending_device(db):
    """The officer typed the code and is scanning; an attacker who has the password logs in
    meanwhile: the secret stays with the officer's session."""
    from django.test import Client

    officer, attacker = make_user(Role.OFFICER), Client()
    own = Client()
    own.force_login(officer)
    own.post(reverse("web:security-start"), {"enrolment_code": _code_for(officer)})
    device = TOTPDevice.objects.get(user=officer, confirmed=False)
    attacker.force_login(officer)
    page = attacker.get(reverse("web:security")).content.decode()
    assert "otpauth://" not in page and device.bin_key.hex() not in page
    attacker.post(reverse("web:security-confirm"), {"otp_token": _code(device)})
    device.refresh_from_db()
    assert not device.confirmed
    assert "otpauth://totp/" in own.get(reverse("web:security")).content.decode()


def test_an_applicant_is_not_asked_for_a_code(client, db):
    applicant = make_user()
    client.force_login(applicant)
    assert 'name="enrolment_code"' not in client.get(reverse("web:security")).content.decode()
    client.post(reverse("web:security-start"))
    assert TOTPDevice.objects.filter(user=applicant, confirmed=False).exists()


def test_the_account_page_lists_the_tokens_and_revokes_one(client, db,
                                                          django_assert_max_num_queries):
    user = make_user()
    kept, kept_key = tokens.issue(user, second_factor=False, address="198.51.100.7",
                                  user_agent="sync-script/1.0")
    revoked, revoked_key = tokens.issue(user, second_factor=False)
    for _ in range(5):
        tokens.issue(user, second_factor=False)
    client.force_login(user)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("web:security")).content.decode()
    assert page.count("/revoke/") == 7
    assert kept.prefix in page and "198.51.100.7" in page and "sync-script/1.0" in page
    assert kept_key not in page and revoked_key not in page
    client.post(reverse("web:security-token-revoke", args=[revoked.pk]))
    assert not user.api_tokens.filter(pk=revoked.pk).exists()
    assert user.api_tokens.filter(pk=kept.pk).exists()


def test_nobody_revokes_another_users_token(client, db):
    owner, other = make_user(), make_user()
    token, key = tokens.issue(owner, second_factor=False)
    client.force_login(other)
    assert client.post(reverse("web:security-token-revoke", args=[token.pk])).status_code == 404
    assert tokens.resolve(key).user == owner


def test_logging_out_of_the_pages_ends_the_api_tokens(client, db):
    user = make_user()
    _, key = tokens.issue(user, second_factor=False)
    client.force_login(user)
    client.post(reverse("web:logout"))
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/organisation/").status_code == 401
