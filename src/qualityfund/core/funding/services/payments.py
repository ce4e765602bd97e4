"""资金拨付: batches of funded items, paid or failed, reconciled to the fen."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from qualityfund.core.applications.models import Application
from qualityfund.core.applications.services import transition
from qualityfund.core.applications.states import State
from qualityfund.core.common import audit
from qualityfund.core.common.errors import RuleViolation
from qualityfund.core.common.permissions import require
from qualityfund.core.notifications.services import notify_about
from qualityfund.domain.money import format_yuan
from qualityfund.domain.selfcheck import names_identical

from ..models import (
    DisbursementBatch,
    ItemStatus,
    Payment,
    PlanItem,
    PlanState,
)


def payable_items(guide):
    """Funded items of final plans with no payment pending or made."""
    return (PlanItem.objects.filter(plan__guide=guide, plan__state=PlanState.FINAL,
                                    status=ItemStatus.FUNDED, amount__gt=0)
            .exclude(payments__status__in=[Payment.Status.PENDING, Payment.Status.PAID])
            .select_related("plan", "application__organisation"))


def _collect_notice(application: Application, amount: Decimal, by) -> None:
    """指南 七（六）: "届时将另行通知办理领款手续" — in-app, by e-mail and SMS."""
    notify_about(application, kind="funding.collect", title="请办理领款手续",
                 body=f"资助资金{format_yuan(amount)}元已列入拨付批次，请按通知办理领款手续；"
                      "银行开户名须与申报单位名称一致（指南七（五））。")
    audit.record(by, "funding.collect_notice", application, amount=str(amount))


@transaction.atomic
def create_batch(guide, title: str, items: list[PlanItem], *, by) -> DisbursementBatch:
    """资金拨付批次 of funded projects; each applicant is told to collect."""
    require(by, "funding.pay")
    title = (title or "").strip()
    if not title:
        raise RuleViolation("请填写批次名称", field="title")
    payable = {i.pk: i for i in payable_items(guide).select_for_update(of=("self",))}
    chosen = [payable.get(i.pk) for i in items]
    if not chosen or None in chosen:
        raise RuleViolation("所选项目须为已下达资助计划、尚未拨付的资助项目", field="items")
    batch = DisbursementBatch.objects.create(guide=guide, title=title[:100], created_by=by)
    for item in chosen:
        org = item.application.organisation
        amount = Decimal(item.amount)
        Payment.objects.create(batch=batch, item=item, amount=amount,
                               account_name=org.bank_account_name, bank_name=org.bank_name,
                               account_number=org.bank_account_number)
        _collect_notice(item.application, amount, by)
    audit.record(by, "funding.batch.create", batch, items=[i.pk for i in chosen],
                 total=str(sum(Decimal(i.amount) for i in chosen)))
    return batch


def _lock_payment(payment: Payment) -> Payment:
    return Payment.objects.select_for_update().select_related(
        "item__application__organisation").get(pk=payment.pk)


@transaction.atomic
def mark_paid(payment: Payment, *, reference: str, by) -> Payment:
    """Paid — blocked unless 账户注册主体、资助申请主体以及银行开户名三者名称一致 (指南七（五))."""
    require(by, "funding.pay")
    payment = _lock_payment(payment)
    if payment.status != Payment.Status.PENDING:
        raise RuleViolation(f"该笔拨付为“{payment.get_status_display()}”，不能登记为已拨付",
                            field="status")
    org = payment.item.application.organisation
    if not names_identical(org.name, org.bank_account_name, org.account_subject_name):
        raise RuleViolation(
            f"银行开户名“{org.bank_account_name}”、账户注册主体“{org.account_subject_name}”"
            f"与申报单位名称“{org.name}”不一致，不能拨付（指南七（五））", field="account_name")
    reference = (reference or "").strip()
    if not reference:
        raise RuleViolation("请填写支付凭证号", field="reference")
    payment.account_name, payment.bank_name = org.bank_account_name, org.bank_name
    payment.account_number = org.bank_account_number
    payment.status, payment.reference = Payment.Status.PAID, reference[:60]
    payment.settled_at, payment.settled_by = timezone.now(), by
    payment.save()
    application = Application.objects.select_for_update().get(pk=payment.item.application_id)
    note = f"资助资金{format_yuan(payment.amount)}元已拨付至{payment.account_name}"
    transition(application, State.DISBURSED, by=by, note=note)
    notify_about(application, kind="funding.disbursed", title="资助资金已拨付", body=note)
    audit.record(by, "funding.payment.paid", payment.batch, payment=payment.pk,
                 amount=str(payment.amount), reference=payment.reference)
    return payment


@transaction.atomic
def mark_failed(payment: Payment, *, reason: str, by) -> Payment:
    require(by, "funding.pay")
    payment = _lock_payment(payment)
    if payment.status != Payment.Status.PENDING:
        raise RuleViolation(f"该笔拨付为“{payment.get_status_display()}”，不能登记为失败",
                            field="status")
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation("请填写拨付失败原因", field="reason")
    payment.status, payment.failure_reason = Payment.Status.FAILED, reason
    payment.settled_at, payment.settled_by = timezone.now(), by
    payment.save(update_fields=["status", "failure_reason", "settled_at", "settled_by"])
    audit.record(by, "funding.payment.failed", payment.batch, payment=payment.pk, reason=reason)
    return payment
