"""The account pages in a real browser, on a server that requires two-factor log-in of bureau
staff: the administrator makes an officer's account and issues an enrolment code; the officer
logs in with the initial password, binds an authenticator with the code, is made to change the
password, and lists and revokes API tokens. Screenshots in ``test-artifacts/account/``."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from qualityfund.core.accounts import tokens
from qualityfund.core.accounts.models import Role, User
from tests import factories
from tests.browser import Screenshots

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

INITIAL, CHOSEN = "Initial-pass-2026", "Officer-own-pass-2026"


def _code(device, steps_ahead=0) -> str:
    device.refresh_from_db()
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, drift=steps_ahead):06d}"


def _admin_logs_in(page):
    admin = factories.make_user(Role.ADMIN, username="zhou-admin")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    device = TOTPDevice.objects.create(user=admin, name="手机", confirmed=True)
    page.goto("/login/")
    page.fill("#id_username", admin.username)
    page.fill("#id_password", factories.PASSWORD)
    page.click("button:has-text('登录')")
    page.fill("#otp_token", _code(device))
    page.click("button:has-text('验证并登录')")
    expect(page.locator("nav")).to_contain_text("系统管理员")


def _admin_makes_the_officer(page, shots) -> str:
    page.goto("/django-admin/accounts/user/add/")
    page.fill("#id_username", "wang-officer")
    page.fill("#id_password1", INITIAL)
    page.fill("#id_password2", INITIAL)
    page.select_option("#id_role", "officer")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_be_visible()
    page.goto("/django-admin/accounts/user/?q=wang-officer")
    page.check("input[name=_selected_action]")
    page.select_option("select[name=action]", "issue_enrolment_codes")
    page.click("button[name=index]")
    expect(page.locator("code.enrolment-code")).to_be_visible()
    shots(page, "admin-issues-the-enrolment-code")
    return page.locator("code.enrolment-code").inner_text()


def test_first_log_in_of_an_officer(browser_page, live_server, settings):
    settings.STAFF_REQUIRE_2FA = True
    page, shots = browser_page, Screenshots("account")
    _admin_logs_in(page)
    enrolment_code = _admin_makes_the_officer(page, shots)
    page.context.clear_cookies()

    # the initial password opens only the enrolment step (two-factor first)
    page.goto("/login/")
    page.fill("#id_username", "wang-officer")
    page.fill("#id_password", INITIAL)
    page.click("button:has-text('登录')")
    expect(page).to_have_url(f"{live_server.url}/account/security/")
    expect(page.locator("#enrolment_code")).to_be_visible()
    shots(page, "officer-must-enrol-with-a-code")
    page.fill("#enrolment_code", "AAAAA-AAAAA")
    page.click("button:has-text('启用两步验证')")
    expect(page.locator(".alert-danger")).to_contain_text("绑定码不正确（还可再试4次）")
    shots(page, "a-wrong-code-is-refused")
    page.goto("/review/")
    expect(page).to_have_url(f"{live_server.url}/account/security/")
    page.fill("#enrolment_code", enrolment_code)
    page.click("button:has-text('启用两步验证')")
    expect(page.locator(".qr svg")).to_be_visible()
    shots(page, "the-qr-code-after-the-right-code")
    officer = User.objects.get(username="wang-officer")
    device = TOTPDevice.objects.get(user=officer)
    page.fill("input[name=otp_token]", _code(device))
    page.click("button:has-text('确认启用')")

    # then the initial password must be changed before anything else
    page.goto("/review/")
    expect(page).to_have_url(f"{live_server.url}/account/password/")
    expect(page.locator(".alert-warning")).to_contain_text("初始密码")
    page.fill("#id_old_password", INITIAL)
    page.fill("#id_new_password1", "onlylowercase")
    page.fill("#id_new_password2", "onlylowercase")
    page.click("form button:has-text('修改密码')")
    expect(page.locator(".invalid-feedback")).to_contain_text("至少须有12个字符")
    shots(page, "forced-change-refuses-a-weak-password")
    page.fill("#id_old_password", INITIAL)
    page.fill("#id_new_password1", CHOSEN)
    page.fill("#id_new_password2", CHOSEN)
    page.click("form button:has-text('修改密码')")
    expect(page.locator(".alert-success")).to_contain_text("密码已修改")
    page.goto("/review/")
    expect(page).to_have_url(f"{live_server.url}/review/")

    # API tokens: one from this browser's API call (after the code), one from a script
    answer = page.request.post("/api/v1/auth/token/", data={
        "username": "wang-officer", "password": CHOSEN, "otp_token": _code(device, 1)})
    assert answer.status == 200 and answer.json()["second_factor"] is True
    officer.refresh_from_db()  # its new password: a token is tied to it
    script, _ = tokens.issue(officer, second_factor=True, address="198.51.100.7",
                             user_agent="quality-sync/1.2 (python-requests)")
    page.goto("/account/security/")
    expect(page.locator("table")).to_contain_text("198.51.100.7")
    shots(page, "account-page-lists-the-tokens")
    page.locator("tr", has_text="198.51.100.7").locator("button:has-text('撤销')").click()
    expect(page.locator(".alert-success")).to_contain_text(f"令牌 {script.prefix}… 已撤销")
    expect(page.locator("table tbody tr")).to_have_count(1)
    shots(page, "a-token-revoked")
    page.goto("/account/password/")
    shots(page, "change-password-page")
