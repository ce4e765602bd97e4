"""身份信息变更: once the organisation has applied, its identity changes only when an officer
approves, with a reason, on record; the application keeps its 申报时快照."""

import pytest
from django.contrib.admin.sites import site
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from qualityfund.core.accounts.identity import IDENTITY_FIELDS, is_frozen
from qualityfund.core.accounts.identity_changes import (
    decide_identity_change,
    submit_identity_change,
    withdraw_identity_change,
)
from qualityfund.core.accounts.models import IdentityChangeRequest, Organisation, Role
from qualityfund.core.accounts.services import update_organisation
from qualityfund.core.common.errors import RuleViolation
from qualityfund.core.common.models import AuditRecord
from qualityfund.core.notifications.models import Notification
from qualityfund.domain.credit_code import make_valid
from tests import factories

NEW_NAME = "深圳市甲质量科技股份有限公司"


@pytest.fixture
def applied(submit, organisation):
    """The organisation with a submitted application: its identity is frozen."""
    application = submit("qi-service")
    assert is_frozen(organisation)
    return application


def test_before_the_first_submission_the_identity_is_edited_directly(organisation, applicant):
    update = update_organisation(organisation, {"name": NEW_NAME}, by=applicant)
    assert update.change is None
    assert Organisation.objects.get(pk=organisation.pk).name == NEW_NAME
    with pytest.raises(RuleViolation, match="可直接修改"):
        submit_identity_change(organisation, {"name": "另一个名称"}, by=applicant)


def test_after_submission_an_edit_of_the_identity_becomes_a_request(applied, organisation,
                                                                   applicant):
    update = update_organisation(organisation, {
        "name": NEW_NAME, "trust_level": 3, "contact_name": "李四"}, by=applicant,
        reason="工商变更")
    fresh = Organisation.objects.get(pk=organisation.pk)
    assert fresh.name == organisation.name and fresh.trust_level == 5
    assert fresh.contact_name == "李四"
    change = update.change
    assert change.status == "pending" and change.reason == "工商变更"
    assert [row["label"] for row in change.rows] == ["单位名称", "账户可信等级"]
    assert change.rows[1]["from"] == "五级（原L3）" and change.rows[1]["to"] == "三级"
    actions = list(AuditRecord.objects.filter(object_id=str(organisation.pk)).values_list(
        "action", flat=True))
    assert "organisation.update" in actions and "organisation.identity_change.request" in actions


def test_an_approved_change_takes_effect_with_the_officers_reason(applied, organisation,
                                                                 applicant, officer):
    code = make_valid("91440300MA5X77771")
    change = submit_identity_change(organisation, {"name": NEW_NAME, "credit_code": code},
                                    by=applicant, reason="更名")
    with pytest.raises(RuleViolation, match="请填写审核意见"):
        decide_identity_change(change, approve=True, reason="  ", by=officer)
    decide_identity_change(change, approve=True, reason="已核对营业执照", by=officer)
    fresh = Organisation.objects.get(pk=organisation.pk)
    assert (fresh.name, fresh.credit_code) == (NEW_NAME, code)
    applied.refresh_from_db()
    assert applied.organisation_as_submitted.name == organisation.name  # the snapshot stays
    record = AuditRecord.objects.get(action="organisation.identity_change.approve")
    assert record.actor == officer and record.data["reason"] == "已核对营业执照"
    assert record.data["changes"]["name"] == {"from": organisation.name, "to": NEW_NAME}
    notice = Notification.objects.get(kind="identity_change.approved", recipient=applicant)
    assert "已批准" in notice.title and "已核对营业执照" in notice.body
    assert f"单位名称：{organisation.name} → {NEW_NAME}" in notice.body
    with pytest.raises(RuleViolation, match="已批准，不能再处理"):
        decide_identity_change(change, approve=False, reason="再审", by=officer)


def test_a_refused_change_leaves_everything_as_it_was(applied, organisation, applicant,
                                                     rechecker):
    before = {n: getattr(organisation, n) for n in IDENTITY_FIELDS}
    change = submit_identity_change(organisation, {"bank_account_number": "9999"},
                                    by=applicant)
    decide_identity_change(change, approve=False, reason="开户证明与账号不符", by=rechecker)
    fresh = Organisation.objects.get(pk=organisation.pk)
    assert {n: getattr(fresh, n) for n in IDENTITY_FIELDS} == before
    assert IdentityChangeRequest.objects.get().status == "refused"
    notice = Notification.objects.get(kind="identity_change.refused")
    assert "未获批准" in notice.body and "开户证明与账号不符" in notice.body


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.DIRECTOR, Role.FINANCE, Role.AUDITOR,
                                  Role.ADMIN, Role.EXPERT])
def test_only_an_officer_decides(applied, organisation, applicant, role):
    change = submit_identity_change(organisation, {"name": NEW_NAME}, by=applicant)
    user = applicant if role == Role.APPLICANT else factories.make_user(role)
    with pytest.raises(PermissionDenied):
        decide_identity_change(change, approve=True, reason="同意", by=user)
    assert Organisation.objects.get(pk=organisation.pk).name != NEW_NAME


def test_another_organisation_cannot_ask_or_withdraw(applied, organisation, applicant,
                                                    other_applicant):
    with pytest.raises(PermissionDenied):
        submit_identity_change(organisation, {"name": NEW_NAME}, by=other_applicant)
    change = submit_identity_change(organisation, {"name": NEW_NAME}, by=applicant)
    with pytest.raises(PermissionDenied):
        withdraw_identity_change(change, by=other_applicant)
    withdraw_identity_change(change, by=applicant)
    assert IdentityChangeRequest.objects.get().status == "withdrawn"


def test_the_requested_values_are_checked_as_registration_checks_them(applied, organisation,
                                                                     applicant,
                                                                     other_organisation):
    cases = [
        ({"credit_code": "91440300MA5X7777"}, "统一社会信用代码"),
        ({"credit_code": other_organisation.credit_code}, "已由其他单位注册"),
        ({"name": "深圳市甲\u202e司公限有"}, r"单位名称含有不可见字符 U\+202E（从右至左覆盖）"),
        ({"bank_account_name": ""}, "银行开户名不能为空"),
        ({"trust_level": 9}, "可信等级"),
        ({"contact_name": "王五"}, "不是身份信息"),
        ({"name": organisation.name}, "无需变更"),
    ]
    for values, message in cases:
        with pytest.raises(RuleViolation, match=message):
            submit_identity_change(organisation, values, by=applicant)
    assert not IdentityChangeRequest.objects.exists()


def test_a_credit_code_registered_meanwhile_cannot_be_approved(applied, organisation,
                                                              applicant, officer):
    code = make_valid("91440300MA5X77772")
    change = submit_identity_change(organisation, {"credit_code": code}, by=applicant)
    factories.make_organisation("深圳市抢注有限公司", credit_code=code)
    with pytest.raises(RuleViolation, match="已由其他单位注册"):
        decide_identity_change(change, approve=True, reason="同意", by=officer)
    assert IdentityChangeRequest.objects.get().status == "pending"


def test_the_admin_site_shows_a_frozen_identity_read_only(applied, organisation, admin_user,
                                                          other_organisation):
    model_admin = site._registry[Organisation]
    request = RequestFactory().get("/")
    request.user = admin_user
    assert tuple(model_admin.get_readonly_fields(request, organisation)) == IDENTITY_FIELDS
    assert tuple(model_admin.get_readonly_fields(request, other_organisation)) == ()
    assert not site._registry[IdentityChangeRequest].has_change_permission(request)
