"""社会公示 with objections, and 资助计划下达 once the notice period is over (指南 五)."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from qualityfund.core.applications.models import Application
from qualityfund.core.applications.services import transition
from qualityfund.core.applications.states import State
from qualityfund.core.common import audit, text
from qualityfund.core.common.errors import RuleViolation
from qualityfund.core.common.permissions import require
from qualityfund.core.notifications.services import notify_about
from qualityfund.core.runtime import files
from qualityfund.domain import credit_code
from qualityfund.domain.identity import resident_id
from qualityfund.domain.inspection import sniff_type
from qualityfund.domain.money import format_yuan, to_wan_plain
from qualityfund.domain.workdays import deadline_after

from ..models import (
    FundingPlan,
    ItemStatus,
    Objection,
    PlanItem,
    PlanState,
)
from .plans import lock_plan, require_state
from .uploads import read_upload

NOTICE_WORKDAYS = 5  # 社会公示: 5 working days unless the bureau sets another period
SCAN_TYPES = ("pdf", "jpg", "png")
SCAN_MAX_BYTES = 10 * 1024 * 1024


@transaction.atomic
def publish_notice(plan: FundingPlan, *, by, starts_at: datetime | None = None,
                   workdays: int = NOTICE_WORKDAYS) -> FundingPlan:
    """社会公示: public from ``starts_at`` to 18:00 of the n-th working day after it."""
    require(by, "funding.publish_notice", plan)
    plan = lock_plan(plan)
    require_state(plan, PlanState.DECIDED)
    if workdays < 1:
        raise RuleViolation("公示期应至少为1个工作日", field="workdays")
    starts_at = starts_at or timezone.now()
    plan.notice_starts_at = starts_at
    plan.notice_ends_at = deadline_after(starts_at, workdays)
    plan.noticed_by, plan.state = by, PlanState.NOTICED
    plan.save(update_fields=["notice_starts_at", "notice_ends_at", "noticed_by", "state"])
    audit.record(by, "funding.plan.notice", plan, starts_at=starts_at.isoformat(),
                 ends_at=plan.notice_ends_at.isoformat(), workdays=workdays)
    return plan


@transaction.atomic
def file_objection(plan: FundingPlan, *, filer_kind: str, filer_name: str, filer_id: str,
                   phone: str, content: str, item: PlanItem | None = None, sealed_scan=None,
                   at: datetime | None = None) -> Objection:
    """异议, filed by anyone without an account — but signed: a named person with an ID
    number, or an organisation with its credit code and a sealed scan. Anonymous: refused."""
    plan = lock_plan(plan)
    at = at or timezone.now()
    if plan.state != PlanState.NOTICED or not (plan.notice_starts_at <= at <= plan.notice_ends_at):
        raise RuleViolation("不在公示期内，不能提出异议", field="plan")
    if item is not None and item.plan_id != plan.pk:
        raise RuleViolation("所选项目不在本公示名单中", field="item")
    name = text.clean(Objection, "filer_name", filer_name,
                      required="匿名异议不予受理：请填写异议人姓名或单位名称")
    identifier = (filer_id or "").strip()
    if filer_kind == Objection.Filer.PERSON:
        try:
            identifier = resident_id(identifier)
        except ValueError as exc:
            raise RuleViolation(f"匿名异议不予受理：{exc}", field="filer_id") from None
    elif filer_kind == Objection.Filer.ORGANISATION:
        try:
            identifier = credit_code.validate(identifier)
        except credit_code.InvalidCreditCode as exc:
            raise RuleViolation(f"匿名异议不予受理：{exc.message}", field="filer_id") from None
        if sealed_scan is None:
            raise RuleViolation("单位提出异议须上传加盖公章的异议书扫描件", field="sealed_scan")
    else:
        raise RuleViolation("请选择异议人类型（个人或单位）", field="filer_kind")
    phone = text.clean(Objection, "phone", phone, required="请填写联系电话，以便答复")
    content = text.clean(Objection, "content", content, required="请填写异议内容及理由")
    objection = Objection(plan=plan, item=item, filer_kind=filer_kind, filer_name=name,
                          filer_id=identifier, phone=phone, content=content, filed_at=at)
    if sealed_scan is not None:
        head = read_upload(sealed_scan)[:8192]
        if sealed_scan.size > SCAN_MAX_BYTES or sniff_type(head) not in SCAN_TYPES:
            raise RuleViolation("盖章扫描件应为不超过10MB的PDF、JPG或PNG文件", field="sealed_scan")
        objection.sealed_scan_name = sealed_scan.name[:255]
        files.save(objection.sealed_scan, sealed_scan.name, sealed_scan)
    objection.save()
    audit.record(None, "funding.objection.file", plan, objection=objection.pk,
                 filer_kind=filer_kind, filer_name=objection.filer_name,
                 item=item.pk if item else None)
    return objection


@transaction.atomic
def answer_objection(objection: Objection, *, handling: str, answer: str, by) -> Objection:
    """Each objection is handled and answered on record."""
    require(by, "funding.answer_objection", objection.plan)
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    if objection.answered:
        raise RuleViolation("该异议已答复", field="answer")
    handling = text.clean(Objection, "handling", handling,
                          required="请填写处理情况（核查经过与结论）")
    answer = text.clean(Objection, "answer", answer, required="请填写给异议人的答复")
    objection.handling, objection.answer = handling, answer
    objection.handled_by, objection.handled_at = by, timezone.now()
    objection.save(update_fields=["handling", "answer", "handled_by", "handled_at"])
    audit.record(by, "funding.objection.answer", objection.plan, objection=objection.pk,
                 handling=handling, answer=answer)
    return objection


@transaction.atomic
def finalise_plan(plan: FundingPlan, *, by, at: datetime | None = None) -> FundingPlan:
    """资助计划下达, after the notice period and with every objection answered: each
    application becomes funded or not funded, with the amount or the reason."""
    require(by, "funding.finalise_plan", plan)
    plan = lock_plan(plan)
    require_state(plan, PlanState.NOTICED)
    at = at or timezone.now()
    if at <= plan.notice_ends_at:
        raise RuleViolation(f"公示期未满：公示截止时间为"
                            f"{timezone.localtime(plan.notice_ends_at):%Y-%m-%d %H:%M}",
                            field="state")
    open_objections = plan.objections.filter(handled_at__isnull=True).count()
    if open_objections:
        raise RuleViolation(f"尚有{open_objections}件异议未处理答复", field="objections")
    for item in plan.items.select_related("application__guide", "application__organisation"):
        application = Application.objects.select_for_update().get(pk=item.application_id)
        if item.status == ItemStatus.FUNDED:
            target = State.FUNDED
            note = (f"资助计划下达：予以资助{format_yuan(item.amount)}元"
                    f"（{to_wan_plain(item.amount)}万元）")
        else:
            target, note = State.NOT_FUNDED, f"资助计划下达：{item.reason}"
        transition(application, target, by=by, at=at, note=note)
        notify_about(application, kind=f"funding.{target}", title="资助计划已下达", body=note)
    plan.state, plan.finalised_by, plan.finalised_at = PlanState.FINAL, by, at
    plan.save(update_fields=["state", "finalised_by", "finalised_at"])
    audit.record(by, "funding.plan.final", plan,
                 total=sum(i.amount for i in plan.items.filter(status=ItemStatus.FUNDED)))
    return plan
