"""The plan, the public notice, the final plan and the payment name and pay the organisation as
it was at 集体研究决策 (决策时快照), whatever it became afterwards (issue 9)."""

import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from qualityfund.core.accounts.identity_changes import (
    decide_identity_change,
    submit_identity_change,
)
from qualityfund.core.common.errors import RuleViolation
from qualityfund.core.common.models import AuditRecord
from qualityfund.core.funding import renderers, services
from qualityfund.core.funding.models import Payment
from tests import factories

from .builders import planned

RENAMED = {"name": "深圳市乙方新名称有限公司", "account_subject_name": "深圳市乙方新名称有限公司",
           "bank_account_name": "深圳市乙方新名称有限公司", "bank_name": "新开户银行",
           "bank_account_number": "6222999988887777"}


def _approved_change(organisation, applicant, officer, values=RENAMED):
    change = submit_identity_change(organisation, values, by=applicant, reason="更名并更换账户")
    return decide_identity_change(change, approve=True, reason="已核对变更登记", by=officer)


@pytest.fixture
def decided(guide, organisation, officer, director):
    return planned(guide, organisation, officer=officer, director=director, until="decided")


def test_the_decision_takes_a_snapshot_of_each_organisation(decided, organisation):
    snapshot = decided.organisation_snapshot
    assert snapshot["name"] == organisation.name
    assert snapshot["bank_account_name"] == organisation.bank_account_name
    assert snapshot["credit_code"] == organisation.credit_code and snapshot["taken_at"]


def test_the_notice_the_final_plan_and_the_payment_keep_the_decided_organisation(
        decided, organisation, applicant, officer, director, finance):
    decided_name = organisation.name
    _approved_change(organisation, applicant, officer)  # after the decision
    plan = decided.plan
    services.publish_notice(plan, by=officer)
    notice = Client().get(reverse("web:funding-notice", args=[plan.guide.slug])).content.decode()
    assert decided_name in notice and RENAMED["name"] not in notice
    plan.refresh_from_db()
    services.finalise_plan(plan, by=officer, at=plan.notice_ends_at + timedelta(seconds=1))

    pdf = PdfReader(io.BytesIO(renderers.final_plan_pdf(plan))).pages[0].extract_text()
    assert decided_name in "".join(pdf.split()) and RENAMED["name"] not in pdf
    rows = list(load_workbook(io.BytesIO(renderers.final_plan_xlsx(plan))).active.iter_rows(
        values_only=True))
    assert rows[3][1] == decided_name and rows[3][2] == decided.organisation_snapshot[
        "credit_code"]

    # The account changed after the decision: no batch pays it until the director confirms.
    item = services.payable_items(plan.guide).get()
    with pytest.raises(RuleViolation) as refused:
        services.create_batch(plan.guide, "第一批", [item], by=finance)
    message = refused.value.message
    assert "集体研究决策后已变更" in message and RENAMED["bank_account_number"] in message
    assert "由局领导在资助方案页面确认新账户后再列入拨付批次" in message
    assert not Payment.objects.exists()
    with pytest.raises(PermissionDenied):  # the director's to confirm, not finance's
        services.confirm_account(item, reason="核实", by=finance)
    with pytest.raises(RuleViolation, match="确认理由"):
        services.confirm_account(item, reason=" ", by=director)
    services.confirm_account(item, reason="已核实银行开户证明", by=director)
    record = AuditRecord.objects.get(action="funding.plan.confirm_account")
    assert record.data["before"]["name"] == decided_name
    assert record.data["after"]["bank_account_number"] == RENAMED["bank_account_number"]
    batch = services.create_batch(plan.guide, "第一批", [item], by=finance)
    payment = batch.payments.get()
    assert (payment.account_name, payment.account_number) == (
        RENAMED["bank_account_name"], RENAMED["bank_account_number"])


def test_a_patch_of_the_account_after_the_decision_pays_nothing_to_it(
        guide, organisation, applicant, officer, director, finance, client_for):
    """The issue's attack: the public notice showed the new name and a payment batch copied
    the new account."""
    item = planned(guide, organisation, officer=officer, director=director, until="final")
    decided = dict(item.organisation_snapshot)
    answer = client_for(applicant).patch("/api/v1/organisation/", RENAMED, format="json")
    assert answer.status_code == 202
    batch = services.create_batch(guide, "第一批", [item], by=finance)
    payment = batch.payments.get()
    assert (payment.account_name, payment.bank_name, payment.account_number) == (
        decided["bank_account_name"], decided["bank_name"], decided["bank_account_number"])
    services.mark_paid(payment, reference="ZF-1", by=finance)
    payment.refresh_from_db()
    assert payment.account_number == decided["bank_account_number"]


def test_an_account_changed_after_its_batch_is_not_paid(
        guide, organisation, applicant, officer, director, finance):
    item = planned(guide, organisation, officer=officer, director=director, until="final")
    payment = services.create_batch(guide, "第一批", [item], by=finance).payments.get()
    _approved_change(organisation, applicant, officer)
    with pytest.raises(RuleViolation, match="集体研究决策后已变更"):
        services.mark_paid(payment, reference="ZF-1", by=finance)
    services.confirm_account(item, reason="已核实", by=director)
    with pytest.raises(RuleViolation, match="请将本笔登记为拨付失败，再列入新的拨付批次"):
        services.mark_paid(payment, reference="ZF-1", by=finance)
    services.mark_failed(payment, reason="账户已变更", by=finance)
    retry = services.create_batch(guide, "第二批", [item], by=finance).payments.get()
    services.mark_paid(retry, reference="ZF-2", by=finance)
    assert Payment.objects.get(pk=retry.pk).account_number == RENAMED["bank_account_number"]


def test_nothing_to_confirm_before_the_decision_or_without_a_change(
        guide, organisation, officer, director, decided):
    with pytest.raises(RuleViolation, match="与决策时一致"):
        services.confirm_account(decided, reason="无", by=director)
    other = planned(guide, organisation, officer=officer, director=director, until="draft",
                    subprogramme="brand")
    with pytest.raises(RuleViolation, match="尚未集体研究决策"):
        services.confirm_account(other, reason="无", by=director)


def test_before_the_decision_the_plan_shows_the_organisation_as_submitted(
        guide, organisation, applicant, officer, director, client_of):
    submitted_name = organisation.name
    item = planned(guide, organisation, officer=officer, director=director, until="draft")
    _approved_change(organisation, applicant, officer)
    page = client_of(officer).get(reverse("web:funding-plan", args=[item.plan_id]))
    text = page.content.decode()
    assert submitted_name in text and "申报后身份信息已变更：单位名称" in text
    # The decision takes the organisation as it is then, approved change included.
    services.send_for_consultation(item.plan, ["市财政局"], by=officer)
    for consultation in item.plan.consultations.all():
        services.record_opinion(consultation, "同意", by=officer)
    services.record_decision(item.plan, meeting_date=timezone.localdate(), decision="同意",
                             minutes=SimpleUploadedFile("纪要.pdf", factories.pdf_bytes()),
                             by=director)
    text = client_of(director).get(reverse("web:funding-plan", args=[item.plan_id])).content
    assert RENAMED["name"] in text.decode() and "身份信息已变更" not in text.decode()
