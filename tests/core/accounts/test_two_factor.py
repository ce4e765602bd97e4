"""The enrolment code (绑定码): someone with a member of staff's password alone cannot bind an
authenticator to the account."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from qualityfund.core.accounts import tokens, two_factor
from qualityfund.core.accounts.models import EnrolmentCode
from qualityfund.core.common.errors import RuleViolation
from qualityfund.core.common.models import AuditRecord
from tests import factories


def _refused(user, code="", words=""):
    devices = list(TOTPDevice.objects.filter(user=user))
    with pytest.raises(RuleViolation) as caught:
        two_factor.start_enrolment(user, code=code)
    assert caught.value.field == "enrolment_code" and words in caught.value.message
    assert list(TOTPDevice.objects.filter(user=user)) == devices


def test_staff_cannot_enrol_with_the_password_alone(officer):
    _refused(officer, "", "没有有效的绑定码")
    _refused(officer, "ABCDE-FGHJK", "没有有效的绑定码")


def test_an_applicant_enrols_without_a_code(applicant):
    assert two_factor.start_enrolment(applicant).user == applicant


def test_the_administrators_code_lets_staff_enrol_once(officer, admin_user):
    code = two_factor.issue_enrolment_code(officer, by=admin_user)
    stored = EnrolmentCode.objects.get(user=officer)
    assert code.replace("-", "") not in stored.code_hash and stored.issued_by == admin_user
    assert two_factor.start_enrolment(officer, code=code.lower().replace("-", " "))
    _refused(officer, code, "没有有效的绑定码")  # used up


def test_a_verified_session_replaces_its_authenticator_without_a_code(officer):
    assert two_factor.start_enrolment(officer, verified=True)


def test_a_wrong_code_is_counted_and_the_fifth_voids_it(officer, admin_user):
    code = two_factor.issue_enrolment_code(officer, by=admin_user)
    for left in (4, 3, 2, 1):
        _refused(officer, "AAAAA-AAAAA", f"还可再试{left}次")
    _refused(officer, "AAAAA-AAAAA", "已作废")
    _refused(officer, code, "没有有效的绑定码")  # even the right one, now
    assert AuditRecord.objects.filter(action="account.2fa.enrolment_code_refused").count() == 5


def test_an_expired_code_is_refused(officer, admin_user):
    code = two_factor.issue_enrolment_code(officer, by=admin_user)
    EnrolmentCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    _refused(officer, code, "没有有效的绑定码")


def test_a_new_code_voids_the_unused_one(officer, admin_user):
    first = two_factor.issue_enrolment_code(officer, by=admin_user)
    second = two_factor.issue_enrolment_code(officer, by=admin_user)
    _refused(officer, first, "绑定码不正确")
    assert two_factor.start_enrolment(officer, code=second)


def test_who_may_issue_a_code(officer, admin_user, applicant, director):
    with pytest.raises(PermissionDenied):
        two_factor.issue_enrolment_code(director, by=officer)  # not an administrator
    with pytest.raises(PermissionDenied):
        two_factor.issue_enrolment_code(admin_user, by=admin_user)  # not to oneself
    with pytest.raises(RuleViolation, match="不是局内人员"):
        two_factor.issue_enrolment_code(applicant, by=admin_user)
    assert not EnrolmentCode.objects.exists()
    record_count = AuditRecord.objects.count()
    two_factor.issue_enrolment_code(director, by=admin_user)
    record = AuditRecord.objects.get(action="account.2fa.issue_enrolment_code")
    assert record.actor == admin_user and AuditRecord.objects.count() == record_count + 1


def test_the_first_administrator_gets_a_code_from_the_command_line(admin_user, capsys):
    call_command("issue_enrolment_code", admin_user.username)
    code = capsys.readouterr().out.split("绑定码：")[1][:11]
    assert two_factor.start_enrolment(admin_user, code=code)
    record = AuditRecord.objects.get(action="account.2fa.issue_enrolment_code")
    assert record.actor is None


def test_every_change_is_audited_and_enabling_ends_password_only_tokens(applicant, settings):
    tokens.issue(applicant, second_factor=False)
    device = two_factor.start_enrolment(applicant)
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0):06d}"
    assert two_factor.confirm_enrolment(applicant, code, device.pk) == device
    assert applicant.api_tokens.count() == 0
    two_factor.disable(applicant)
    actions = list(AuditRecord.objects.filter(object_id=str(applicant.pk)).order_by("id")
                   .values_list("action", flat=True))
    assert actions[-4:] == ["account.2fa.start", "account.2fa.enable", "account.token.revoke_all",
                            "account.2fa.disable"]


def test_staff_cannot_turn_it_off_where_it_is_required(officer, settings):
    settings.STAFF_REQUIRE_2FA = True
    with pytest.raises(RuleViolation, match="不能关闭"):
        two_factor.disable(officer)


def test_an_administrator_resets_a_lost_authenticator(officer, admin_user):
    TOTPDevice.objects.create(user=officer, name="旧手机", confirmed=True)
    with pytest.raises(PermissionDenied):
        two_factor.reset(officer, by=factories.make_user("director"))
    two_factor.reset(officer, by=admin_user)
    assert not two_factor.has_two_factor(officer)
    assert AuditRecord.objects.get(action="account.2fa.reset").actor == admin_user
