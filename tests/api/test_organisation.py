"""``/api/v1/organisation/``: the caller's own organisation."""

from qualityfund.core.common.models import AuditRecord
from qualityfund.domain.credit_code import make_valid

URL = "/api/v1/organisation/"


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
