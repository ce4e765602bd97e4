"""Every place text arrives keeps to a length limit, and names refuse invisible characters
(bidi overrides, zero-width characters, controls), with a Chinese message naming the field,
the limit or the character; nothing is saved when it refuses (issue 9).

Pages, the API, the services behind both, and the imports are each tried with one value over
the limit and, for names, one with a right-to-left override or a zero-width space.
"""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from qualityfund.core.accounts.identity_changes import submit_identity_change
from qualityfund.core.accounts.models import IdentityChangeRequest, Organisation, User
from qualityfund.core.applications import services as applications
from qualityfund.core.common.errors import RuleViolation
from qualityfund.core.common.models import AuditRecord
from qualityfund.core.funding import services as funding
from qualityfund.core.funding.models import Consultation, Objection
from qualityfund.core.review import services as review
from qualityfund.core.review.services import ItemRequest
from qualityfund.domain.credit_code import make_valid
from qualityfund.domain.identity import with_check_digit
from tests.core.funding.builders import csv_upload, planned, reviewed

RLO, ZWSP = "\u202e", "\u200b"
PERSON_ID = with_check_digit("44030519800101123")


def too_long(limit: int) -> str:
    return "字" * (limit + 1)


def refused(call, message: str) -> None:
    """``call`` raises a RuleViolation whose message contains ``message``; nothing audited."""
    before = AuditRecord.objects.count()
    with pytest.raises(RuleViolation) as caught:
        call()
    assert message in caught.value.message, caught.value.message
    assert AuditRecord.objects.count() == before


# --- the organisation, its users and its identity -----------------------------------------------


def test_registration_refuses_invisible_characters_in_names(client, db):
    from tests.web.views.test_auth import _registration

    code = make_valid("91440300MA5XK7P2R")
    for overrides, message in (
            ({"org-name": f"深圳市{RLO}司公限有甲"}, "单位名称含有不可见字符 U+202E（从右至左覆盖）"),
            ({"org-bank_account_name": f"深圳市{ZWSP}甲有限公司"},
             "银行开户名含有不可见字符 U+200B（零宽空格）"),
            ({"org-address": too_long(300)}, "地址不能超过300字（当前301字）"),
            ({"user-last_name": f"王{RLO}"}, "姓含有不可见字符 U+202E（从右至左覆盖）")):
        answer = client.post(reverse("web:register"), _registration(code, **overrides))
        assert message in answer.content.decode()
    assert not Organisation.objects.exists() and not User.objects.exists()


def test_the_organisation_api_names_the_field_the_limit_and_the_character(client_for, applicant,
                                                                         organisation):
    api = client_for(applicant)
    for body, field, message in (
            ({"name": f"深圳市甲{ZWSP}质量科技有限公司"}, "name",
             "单位名称含有不可见字符 U+200B（零宽空格），请删除后重新填写"),
            ({"name": too_long(200)}, "name", "单位名称不能超过200字（当前201字）"),
            ({"contact_name": f"黄{RLO}晓明"}, "contact_name", "联系人含有不可见字符 U+202E"),
            ({"bank_account_number": f"6222{chr(0x2066)}0000"}, "bank_account_number",
             "银行账号含有不可见字符 U+2066（从左至右隔离）")):
        answer = api.patch("/api/v1/organisation/", body, format="json")
        assert answer.status_code == 400, answer.json()
        assert answer.json()["field"] == field and answer.json()["detail"].startswith(message)
    organisation.refresh_from_db()
    assert organisation.name == "深圳市甲质量科技有限公司"


def test_an_identity_change_reason_has_a_limit(submit, organisation, applicant):
    submit("qi-service")
    refused(lambda: submit_identity_change(organisation, {"name": "深圳市甲新名有限公司"},
                                           by=applicant, reason=too_long(500)),
            "变更原因不能超过500字（当前501字）")
    assert not IdentityChangeRequest.objects.exists()


# --- the application ------------------------------------------------------------------------------


def test_the_application_refuses_long_texts_and_invisible_names(make_application, applicant,
                                                                client_for):
    application = make_application("qi-service")
    api = client_for(applicant)
    url = f"/api/v1/applications/{application.pk}/"
    for body, message in (
            ({"summary": too_long(2000)}, "项目简介不能超过2000字（当前2001字）"),
            ({"project_name": f"质量{RLO}提升"}, "项目名称含有不可见字符 U+202E（从右至左覆盖）"),
            ({"summary": "正常简介\x00"}, "项目简介含有不可见字符 U+0000（空字符）")):
        answer = api.patch(url, body, format="json")
        assert answer.status_code == 400 and answer.json()["detail"] == (
            f"{message}，请删除后重新填写" if "不可见" in message else
            f"{message}，请精简后重新填写")
    refused(lambda: applications.save_draft(application, by=applicant,
                                            fields={"contact_name": f"李{ZWSP}四"}),
            "项目联系人含有不可见字符 U+200B")
    refused(lambda: applications.save_draft(application, by=applicant, figures={
        "typical_cases": too_long(1000)}), "不能超过1000字（当前1001字）")
    page = Client()
    page.force_login(applicant)
    answer = page.post(reverse("web:application-save", args=[application.pk]),
                       {"summary": too_long(2000)}, HTTP_HX_REQUEST="true")  # the autosave
    assert "项目简介不能超过2000字（当前2001字）" in answer.content.decode()
    application.refresh_from_db()
    assert application.summary == "" and application.project_name == ""


def test_a_withdrawal_reason_has_a_limit(submit, applicant):
    application = submit("qi-service")
    refused(lambda: applications.withdraw(application, by=applicant, reason=too_long(500)),
            "撤回原因不能超过500字（当前501字）")


# --- formal review --------------------------------------------------------------------------------


def test_review_notes_and_supplementation_reasons_have_limits(submit, officer, client_for):
    application = submit("qi-service")
    refused(lambda: review.accept(application, by=officer, note=too_long(1000)),
            "说明不能超过1000字（当前1001字）")
    refused(lambda: review.request_supplementation(
        application, by=officer, items=[ItemRequest("material:pledge", too_long(500))]),
        "补正事项“")
    answer = client_for(officer).post(f"/api/v1/review/applications/{application.pk}/accept/",
                                      {"note": "\x07"}, format="json")
    assert answer.status_code == 400 and "U+0007（控制字符）" in answer.json()["detail"]
    application.refresh_from_db()
    assert application.state == "submitted"


# --- after review: checks, plans, notice, payment, imports --------------------------------------


@pytest.fixture
def year(guide, officer, director, organisation):
    """A plan in consultation, one on public notice and one final, of three organisations."""
    from tests import factories

    consulting = planned(guide, factories.make_organisation("深圳市征求意见有限公司"),
                         officer=officer, director=director, until="draft", subprogramme="brand")
    funding.send_for_consultation(consulting.plan, ["市财政局"], by=officer)
    noticed = planned(guide, factories.make_organisation("深圳市公示中有限公司"),
                      officer=officer, director=director, until="noticed")
    final = planned(guide, organisation, officer=officer, director=director, until="final",
                    subprogramme="incubation")
    hit = reviewed(guide, factories.make_organisation("深圳市待确认有限公司"), "qi-service",
                   score=80, officer=officer)
    return {"consulting": consulting, "noticed": noticed, "final": final, "hit": hit}


def test_funding_texts_have_limits_and_names_refuse_invisible_characters(
        year, guide, officer, director, finance, admin_user):
    consulting, noticed = year["consulting"], year["noticed"]
    refused(lambda: funding.adjust_amount(consulting, 100_000, reason=too_long(500), by=officer),
            "调整理由不能超过500字（当前501字）")
    consultation = Consultation.objects.get(plan=consulting.plan)
    refused(lambda: funding.record_opinion(consultation, too_long(2000), by=officer),
            "意见不能超过2000字（当前2001字）")
    funding.record_opinion(consultation, "同意", by=officer)
    refused(lambda: funding.record_decision(
        consulting.plan, meeting_date=timezone.localdate(), minutes=None,
        decision=too_long(2000), by=director), "决策意见不能超过2000字（当前2001字）")
    draft = planned(guide, year["final"].application.organisation, officer=officer,
                    director=director, until="draft", subprogramme="innovation").plan
    refused(lambda: funding.send_for_consultation(draft, [f"市{RLO}财政局"], by=officer),
            "部门含有不可见字符 U+202E（从右至左覆盖）")

    at = noticed.plan.notice_starts_at + timedelta(minutes=1)
    signed = {"filer_kind": "person", "filer_name": "张三", "filer_id": PERSON_ID,
              "phone": "13800000000", "content": "实施情况与申报不符。", "at": at}
    for changed, message in (
            ({"filer_name": f"张{RLO}三"}, "姓名或单位名称含有不可见字符 U+202E（从右至左覆盖）"),
            ({"filer_name": f"张{ZWSP}三"}, "姓名或单位名称含有不可见字符 U+200B（零宽空格）"),
            ({"content": too_long(2000)}, "异议内容不能超过2000字（当前2001字）"),
            ({"content": "异议\x00内容"}, "异议内容含有不可见字符 U+0000（空字符）"),
            ({"phone": "1" * 31}, "联系电话不能超过30字（当前31字）")):
        with pytest.raises(RuleViolation, match=message.replace("+", r"\+")):
            funding.file_objection(noticed.plan, **{**signed, **changed})
    assert not Objection.objects.exists()
    objection = funding.file_objection(noticed.plan, **signed)
    refused(lambda: funding.answer_objection(objection, handling=too_long(2000), answer="不成立",
                                             by=officer), "处理情况不能超过2000字（当前2001字）")

    funding.run_checks(year["hit"], by=officer)
    check = year["hit"].disqualifier_checks.filter(superseded=False).first()
    check.outcome, check.decision = "hit", "pending"
    check.save()
    refused(lambda: funding.decide_check(check, confirm=True, reason=too_long(1000),
                                         by=officer), "确认理由不能超过1000字（当前1001字）")

    item = funding.payable_items(guide).get()
    refused(lambda: funding.create_batch(guide, f"第一批{RLO}", [item], by=finance),
            "批次名称含有不可见字符 U+202E（从右至左覆盖）")
    payment = funding.create_batch(guide, "第一批", [item], by=finance).payments.get()
    refused(lambda: funding.mark_paid(payment, reference="ZF\x1b01", by=finance),
            "支付凭证号含有不可见字符 U+001B（控制字符）")
    refused(lambda: funding.mark_failed(payment, reason=too_long(500), by=finance),
            "失败原因不能超过500字（当前501字）")


def test_the_public_objection_form_names_the_invisible_character(year, client):
    noticed = year["noticed"]
    answer = client.post(reverse("web:funding-objection", args=[noticed.plan.guide.slug]), {
        "plan": noticed.plan_id, "item": noticed.pk, "filer_kind": "person",
        "filer_name": f"张三{chr(0x2067)}", "filer_id": PERSON_ID, "phone": "13800000000",
        "content": "实施情况与申报不符。"}, follow=True)
    assert "姓名或单位名称含有不可见字符 U+2067（从右至左隔离）" in answer.content.decode()
    assert not Objection.objects.exists()


def test_imports_name_the_row_the_column_and_the_rule(db, officer):
    code = make_valid("91440300MA5X12345")
    refused(lambda: funding.import_list("dishonesty_list", csv_upload("名单.csv", [
        ["统一社会信用代码", "名称", "日期", "来源"],
        [code, f"深圳市{ZWSP}某公司", "2025-03-01", "深圳市公共信用信息管理系统"]]),
        source="深圳市公共信用信息管理系统", by=officer), "第2行“名称”列：名称含有不可见字符 U+200B（零宽空格）")
    refused(lambda: funding.import_earlier(csv_upload("往年.csv", [
        ["资助年度", "统一社会信用代码", "单位名称", "项目名称", "项目简介"],
        [2024, code, "深圳市某公司", "往年项目", too_long(2000)]]), by=officer),
        "第2行“项目简介”列：项目简介不能超过2000字（当前2001字）")


def test_an_applicant_users_name_is_checked_by_the_service_too(organisation, applicant):
    from qualityfund.core.accounts.services import add_colleague

    colleague = User(username="colleague", last_name="李", first_name=f"四{ZWSP}")
    refused(lambda: add_colleague(organisation, colleague, "a-long-pass-2025!", by=applicant),
            "名字含有不可见字符 U+200B（零宽空格）")
    assert not User.objects.filter(username="colleague").exists()
