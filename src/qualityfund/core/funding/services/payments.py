"""资金拨付: batches of funded items, paid or failed, reconciled to the fen.

The money goes to the account of the snapshot taken at 集体研究决策, never to whatever the
organisation's record says today; when the two differ (an identity change approved after
the decision), payment waits until the director confirms the new account (``confirm_account``).
"""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from qualityfund.core.accounts.identity import Snapshot, account_of, snapshots
from qualityfund.core.applications.models import Application
from qualityfund.core.applications.services import transition
from qualityfund.core.applications.states import State
from qualityfund.core.common import audit, text
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


def _account_problem(item: PlanItem) -> str | None:
    """Why ``item`` cannot be paid to its decided account, and what to do; None when it can."""
    if not item.account_changed:
        return None
    decided, org = item.organisation_as_planned, item.application.organisation
    return (f"{decided.name}的银行账户在集体研究决策后已变更（决策时：{decided.bank_account_name} "
            f"{decided.bank_name} {decided.bank_account_number}；现为：{org.bank_account_name} "
            f"{org.bank_name} {org.bank_account_number}），不能按决策时的账户拨付。"
            "请核实变更情况，由局领导在资助方案页面确认新账户后再列入拨付批次")


def _names_problem(decided: Snapshot) -> str | None:
    if names_identical(decided.name, decided.bank_account_name, decided.account_subject_name):
        return None
    return (f"银行开户名“{decided.bank_account_name}”、账户注册主体“{decided.account_subject_name}”"
            f"与申报单位名称“{decided.name}”不一致，不能拨付（指南七（五））")


@transaction.atomic
def create_batch(guide, title: str, items: list[PlanItem], *, by) -> DisbursementBatch:
    """资金拨付批次 of funded projects, each to the account decided; each applicant is told to
    collect."""
    require(by, "funding.pay")
    title = text.clean(DisbursementBatch, "title", title, required="请填写批次名称")
    payable = {i.pk: i for i in payable_items(guide).select_for_update(of=("self",))}
    chosen = [payable.get(i.pk) for i in items]
    if not chosen or None in chosen:
        raise RuleViolation("所选项目须为已下达资助计划、尚未拨付的资助项目", field="items")
    for item in chosen:
        problem = _account_problem(item)
        if problem:
            raise RuleViolation(problem, field="items")
    batch = DisbursementBatch.objects.create(guide=guide, title=title, created_by=by)
    for item in chosen:
        decided = item.organisation_as_planned
        amount = Decimal(item.amount)
        Payment.objects.create(batch=batch, item=item, amount=amount,
                               account_name=decided.bank_account_name,
                               bank_name=decided.bank_name,
                               account_number=decided.bank_account_number)
        _collect_notice(item.application, amount, by)
    audit.record(by, "funding.batch.create", batch, items=[i.pk for i in chosen],
                 total=str(sum(Decimal(i.amount) for i in chosen)))
    return batch


def _lock_payment(payment: Payment) -> Payment:
    return Payment.objects.select_for_update().select_related(
        "item__application__organisation").get(pk=payment.pk)


@transaction.atomic
def mark_paid(payment: Payment, *, reference: str, by) -> Payment:
    """Paid — to the account of the batch, which is the one decided; blocked unless
    账户注册主体、资助申请主体以及银行开户名三者名称一致 (指南七（五)) and unless the
    organisation's account is still that one."""
    require(by, "funding.pay")
    payment = _lock_payment(payment)
    if payment.status != Payment.Status.PENDING:
        raise RuleViolation(f"该笔拨付为“{payment.get_status_display()}”，不能登记为已拨付",
                            field="status")
    item = payment.item
    problem = _names_problem(item.organisation_as_planned) or _account_problem(item)
    if problem is None and (payment.account_name, payment.bank_name,
                            payment.account_number) != account_of(item.organisation_as_planned):
        problem = ("本批次登记的收款账户与资助方案确认的账户不一致（账户已经局领导重新确认），"
                   "请将本笔登记为拨付失败，再列入新的拨付批次")
    if problem:
        raise RuleViolation(problem, field="account_name")
    reference = text.clean(Payment, "reference", reference, required="请填写支付凭证号")
    payment.status, payment.reference = Payment.Status.PAID, reference
    payment.settled_at, payment.settled_by = timezone.now(), by
    payment.save(update_fields=["status", "reference", "settled_at", "settled_by"])
    application = Application.objects.select_for_update().get(pk=item.application_id)
    note = f"资助资金{format_yuan(payment.amount)}元已拨付至{payment.account_name}"
    transition(application, State.DISBURSED, by=by, note=note)
    notify_about(application, kind="funding.disbursed", title="资助资金已拨付", body=note)
    audit.record(by, "funding.payment.paid", payment.batch, payment=payment.pk,
                 amount=str(payment.amount), reference=payment.reference,
                 account=[payment.account_name, payment.bank_name, payment.account_number])
    return payment


@transaction.atomic
def mark_failed(payment: Payment, *, reason: str, by) -> Payment:
    require(by, "funding.pay")
    payment = _lock_payment(payment)
    if payment.status != Payment.Status.PENDING:
        raise RuleViolation(f"该笔拨付为“{payment.get_status_display()}”，不能登记为失败",
                            field="status")
    reason = text.clean(Payment, "failure_reason", reason, field="reason",
                        required="请填写拨付失败原因")
    payment.status, payment.failure_reason = Payment.Status.FAILED, reason
    payment.settled_at, payment.settled_by = timezone.now(), by
    payment.save(update_fields=["status", "failure_reason", "settled_at", "settled_by"])
    audit.record(by, "funding.payment.failed", payment.batch, payment=payment.pk, reason=reason)
    return payment


@transaction.atomic
def confirm_account(item: PlanItem, *, reason: str, by) -> PlanItem:
    """The director confirms the organisation's identity as it is now for a decided item —
    an account changed (through an approved identity change) after 集体研究决策 — with a
    reason, on the plan's record; payment then goes to the new account."""
    require(by, "funding.decide_plan", item.plan)
    item = (PlanItem.objects.select_for_update(of=("self",))
            .select_related("plan", "application__organisation").get(pk=item.pk))
    if not item.organisation_snapshot:
        raise RuleViolation("方案尚未集体研究决策，拨付将使用决策时的单位信息", field="state")
    changed = item.identity_changed
    if not changed:
        raise RuleViolation("该单位信息与决策时一致，无需确认", field="state")
    if item.payments.filter(status=Payment.Status.PAID).exists():
        raise RuleViolation("该项目已拨付，不能再变更收款账户", field="state")
    reason = text.clean(PlanItem, "adjustment_reason", reason, field="reason",
                        label="确认理由", required="请填写确认理由（如变更依据、会议或批示）")
    before = item.organisation_snapshot
    item.organisation_snapshot = snapshots([item.application.organisation_id])[
        item.application.organisation_id]
    item.save(update_fields=["organisation_snapshot"])
    audit.record(by, "funding.plan.confirm_account", item.plan, item=item.pk,
                 application=item.application_id, changed=changed, before=before,
                 after=item.organisation_snapshot, reason=reason)
    return item
