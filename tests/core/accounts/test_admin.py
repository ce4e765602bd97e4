"""The Django admin: an account the administrator makes has an initial password; enrolment
codes are issued there and shown once; authenticators are not edited behind the audit."""

from django.contrib import admin
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from qualityfund.core.accounts import two_factor
from qualityfund.core.accounts.models import EnrolmentCode, Role, User
from qualityfund.core.common.models import AuditRecord
from tests import factories

ISSUED = "Issued-pass-2026"


def _admin_client(client, admin_user):
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    return client


def test_an_account_the_administrator_makes_must_change_its_password(client, admin_user):
    client = _admin_client(client, admin_user)
    answer = client.post(reverse("admin:accounts_user_add"), {
        "username": "new-officer", "usable_password": "true", "password1": ISSUED,
        "password2": ISSUED, "role": Role.OFFICER})
    assert answer.status_code == 302, answer.content.decode()[:2000]
    user = User.objects.get(username="new-officer")
    assert user.check_password(ISSUED) and user.password_must_change
    assert AuditRecord.objects.get(action="account.password.issue").actor == admin_user


def test_a_password_the_administrator_resets_must_be_changed(client, admin_user, officer):
    client = _admin_client(client, admin_user)
    url = reverse("admin:auth_user_password_change", args=[officer.pk])
    answer = client.post(url, {"usable_password": "true", "password1": ISSUED,
                               "password2": ISSUED})
    assert answer.status_code == 302
    officer.refresh_from_db()
    assert officer.check_password(ISSUED) and officer.password_must_change
    weak = client.post(url, {"usable_password": "true", "password1": "weak", "password2": "weak"})
    assert "至少须有12个字符" in weak.content.decode()


def test_the_action_shows_each_code_once_and_stores_only_its_hash(client, admin_user, officer,
                                                                  applicant):
    client = _admin_client(client, admin_user)
    answer = client.post(reverse("admin:accounts_user_changelist"), {
        "action": "issue_enrolment_codes",
        admin.helpers.ACTION_CHECKBOX_NAME: [officer.pk, applicant.pk, admin_user.pk]})
    page = answer.content.decode()
    code = page.split('class="enrolment-code">')[1][:11]
    assert "只显示这一次" in page and "不是局内人员" in page and "无权为本人签发绑定码" in page
    assert EnrolmentCode.objects.get().user == officer
    assert code.replace("-", "") not in EnrolmentCode.objects.get().code_hash
    assert two_factor.start_enrolment(officer, code=code)
    assert AuditRecord.objects.filter(action="account.2fa.issue_enrolment_code").count() == 1


def test_the_reset_action_removes_a_lost_authenticator(client, admin_user, officer):
    TOTPDevice.objects.create(user=officer, name="丢失的手机", confirmed=True)
    client = _admin_client(client, admin_user)
    client.post(reverse("admin:accounts_user_changelist"), {
        "action": "reset_two_factor", admin.helpers.ACTION_CHECKBOX_NAME: [officer.pk]})
    assert not TOTPDevice.objects.filter(user=officer).exists()
    assert AuditRecord.objects.get(action="account.2fa.reset").actor == admin_user


def test_authenticators_have_no_admin_page_of_their_own():
    """django-otp's admin would let a device be made or shown without code and audit."""
    assert not admin.site.is_registered(TOTPDevice)


def test_a_non_administrator_staff_user_issues_nothing(client, db):
    officer = factories.make_user(Role.OFFICER)
    officer.is_staff = True
    officer.save()
    client.force_login(officer)
    client.post(reverse("admin:accounts_user_changelist"), {
        "action": "issue_enrolment_codes", admin.helpers.ACTION_CHECKBOX_NAME: [officer.pk]})
    assert not EnrolmentCode.objects.exists()
