"""Two-factor log-in with an authenticator app (TOTP)."""

import time

from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from qualityfund.core.accounts.models import Role
from tests.factories import PASSWORD, make_user


def _code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The app's code now, or ``steps_ahead`` 30-second steps later (a used code is spent)."""
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits,
                drift=steps_ahead)
    return f"{code:06d}"


def _enrol(client, user) -> TOTPDevice:
    client.force_login(user)
    client.post(reverse("web:security-start"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("web:security-confirm"), {"otp_token": _code(device)},
                           follow=True)
    assert "已启用两步验证" in response.content.decode()
    client.logout()
    device.refresh_from_db()
    return device


def test_enrolment_shows_a_qr_code_and_needs_a_right_code(client, db):
    user = make_user(Role.OFFICER)
    client.force_login(user)
    client.post(reverse("web:security-start"))
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
