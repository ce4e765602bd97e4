"""``/api/v1/organisation/``: the caller's own organisation, and its identity change
requests."""

import pytest

from qualityfund.core.accounts.models import IdentityChangeRequest
from qualityfund.core.common.models import AuditRecord
from qualityfund.domain.credit_code import make_valid
from tests.core.funding.builders import planned, reviewed

URL = "/api/v1/organisation/"
CHANGES = "/api/v1/organisation/identity-changes/"


def test_read_the_own_organisation(api, organisation):
    body = api.get(URL).json()
    assert body["id"] == organisation.pk
    assert body["credit_code"] == organisation.credit_code
    assert body["warnings"] == []


def test_change_through_the_service_with_an_audit_record(api, organisation):
    answer = api.patch(URL, {"contact_phone": "0755-12345678"}, format="json")
    assert answer.status_code == 200, answer.json()
    organisation.refresh_from_db()
    assert organisation.contact_phone == "0755-12345678"
    audit = AuditRecord.objects.get(action="organisation.update")
    assert audit.object_id == str(organisation.pk)
    assert audit.data["changed"] == {"contact_phone": "0755-12345678"}


def test_names_that_differ_are_warned(api):
    answer = api.patch(URL, {"bank_account_name": "深圳市甲质量科技有限公司工会"}, format="json")
    assert answer.status_code == 200
    assert "三者不一致" in answer.json()["warnings"][0]


def test_a_credit_code_is_normalised(api, organisation):
    code = make_valid("91440300MA5F00001")
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in code.lower())
    answer = api.patch(URL, {"credit_code": full_width}, format="json")
    assert answer.status_code == 200, answer.json()
    assert answer.json()["credit_code"] == code


def test_an_invalid_credit_code(api, organisation):
    code = make_valid("91440300MA5F00001")
    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    answer = api.patch(URL, {"credit_code": wrong}, format="json")
    assert answer.status_code == 400
    assert answer.json()["field"] == "credit_code"
    assert answer.json()["detail"].startswith("统一社会信用代码校验位错误")
    organisation.refresh_from_db()
    assert organisation.credit_code != wrong


def test_a_credit_code_already_registered(api, other_organisation):
    answer = api.patch(URL, {"credit_code": other_organisation.credit_code}, format="json")
    assert answer.status_code == 400
    assert "已注册" in answer.json()["detail"]


def test_a_district_outside_shenzhen(api):
    answer = api.patch(URL, {"district": "天河区"}, format="json")
    assert answer.status_code == 400
    assert answer.json()["detail"].startswith("注册所在区：")


def test_only_applicants_have_an_organisation(client_for, officer, anonymous):
    answer = client_for(officer).get(URL)
    assert answer.status_code == 403
    assert answer.json()["detail"] == "仅申报单位经办人可访问本单位信息"
    assert anonymous.patch(URL, {"name": "x"}, format="json").status_code == 401


# --- identity: frozen once an application was submitted (issue 9) ------------------------------

NEW_CODE = make_valid("91440300MA5X99991")
TAKEOVER = {"credit_code": NEW_CODE, "name": "深圳市冒名顶替有限公司",
            "account_subject_name": "深圳市冒名顶替有限公司",
            "bank_account_name": "深圳市冒名顶替有限公司", "bank_name": "某某银行",
            "bank_account_number": "6222000011112222", "trust_level": 4}
IDENTITY = tuple(TAKEOVER)


def _identity(organisation) -> dict:
    organisation.refresh_from_db()
    return {name: getattr(organisation, name) for name in IDENTITY}


@pytest.fixture
def stage(request, guide, organisation, applicant, officer, director, submit):
    """The applicant's organisation with an application submitted, reviewed, or in a plan
    decided by the director."""
    if request.param == "submitted":
        return submit("qi-service")
    if request.param == "reviewed":
        return reviewed(guide, organisation, "honors", score=90, officer=officer)
    return planned(guide, organisation, officer=officer, director=director).application


@pytest.mark.parametrize("stage", ["submitted", "reviewed", "decided"], indirect=True)
def test_a_patch_of_the_identity_after_submission_only_asks_for_a_change(api, organisation,
                                                                         stage):
    before = _identity(organisation)
    answer = api.patch(URL, {**TAKEOVER, "contact_phone": "0755-12345678",
                             "change_reason": "更名"}, format="json")
    assert answer.status_code == 202, answer.json()
    body = answer.json()
    assert body["detail"].startswith("身份信息（单位名称、统一社会信用代码")
    assert "待审核人员批准后生效" in body["detail"]
    assert body["identity_change"]["status"] == "pending"
    assert {row["field"] for row in body["identity_change"]["changes"]} == set(IDENTITY)
    assert body["organisation"]["name"] == before["name"]
    assert body["organisation"]["pending_identity_change"]["id"] == body["identity_change"]["id"]
    assert _identity(organisation) == before  # nothing of the identity changed …
    assert organisation.contact_phone == "0755-12345678"  # … the contact details did
    stage.refresh_from_db()
    assert stage.organisation_as_submitted.name == before["name"]
    change = IdentityChangeRequest.objects.get()
    assert change.changes["credit_code"] == {"from": before["credit_code"], "to": NEW_CODE}
    assert change.reason == "更名"
    assert AuditRecord.objects.filter(action="organisation.identity_change.request").count() == 1


def test_before_any_submission_the_identity_is_edited_at_once(api, organisation):
    answer = api.patch(URL, TAKEOVER, format="json")
    assert answer.status_code == 200, answer.json()
    assert answer.json()["identity_frozen"] is False
    assert _identity(organisation) == TAKEOVER
    assert not IdentityChangeRequest.objects.exists()


def test_a_second_change_waits_for_the_first(api, organisation, submit):
    submit("qi-service")
    assert api.patch(URL, {"name": "深圳市甲质量科技股份有限公司"}, format="json").status_code == 202
    again = api.patch(URL, {"bank_account_number": "1234"}, format="json")
    assert again.status_code == 400
    assert "待审核" in again.json()["detail"] and "撤回" in again.json()["detail"]
    assert IdentityChangeRequest.objects.count() == 1


def test_the_applicant_lists_and_withdraws_its_requests(api, client_for, organisation,
                                                        other_applicant, submit):
    submit("qi-service")
    made = api.post(CHANGES, {"bank_account_number": "6222 0000 1111", "reason": "更换开户行账号"},
                    format="json")
    assert made.status_code == 201, made.json()
    listed = api.get(CHANGES).json()
    assert [c["id"] for c in listed] == [made.json()["id"]]
    assert listed[0]["changes"][0]["label"] == "银行账号"
    withdraw = f"{CHANGES}{made.json()['id']}/withdraw/"
    assert client_for(other_applicant).post(withdraw).status_code == 404
    assert api.post(withdraw).json()["status"] == "withdrawn"
    assert api.post(withdraw).status_code == 400  # once


def test_a_request_without_any_identity_value_is_refused(api, submit):
    submit("qi-service")
    answer = api.post(CHANGES, {"reason": "无"}, format="json")
    assert answer.status_code == 400 and answer.json()["detail"] == "请填写要变更的身份信息"


def test_an_officer_decides_through_the_api_with_a_reason(api, client_for, organisation,
                                                          officer, finance, submit):
    submit("qi-service")
    change = api.post(CHANGES, {"name": "深圳市甲质量科技股份有限公司", "reason": "工商变更"},
                      format="json").json()
    approve = f"/api/v1/identity-changes/{change['id']}/approve/"
    assert api.post(approve, {"reason": "自己批准"}, format="json").status_code == 403
    assert client_for(finance).post(approve, {"reason": "x"}, format="json").status_code == 403
    staff = client_for(officer)
    pending = staff.get("/api/v1/identity-changes/?status=pending").json()
    assert [c["id"] for c in pending] == [change["id"]]
    refused = staff.post(approve, {"reason": ""}, format="json")
    assert refused.status_code == 400 and refused.json()["field"] == "reason"
    done = staff.post(approve, {"reason": "已核对营业执照变更登记"}, format="json").json()
    assert done["status"] == "approved" and done["decided_by"] == officer.display()
    assert _identity(organisation)["name"] == "深圳市甲质量科技股份有限公司"
    assert api.get(URL).json()["pending_identity_change"] is None
