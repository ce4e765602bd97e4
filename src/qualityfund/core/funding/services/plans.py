"""拟资助方案: drafting from the engine, adjustments with a reason, 征求意见 and
集体研究决策 (指南 五)."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from qualityfund.core.applications.models import Application
from qualityfund.core.applications.states import State
from qualityfund.core.common import audit
from qualityfund.core.common.errors import RuleViolation
from qualityfund.core.common.permissions import require
from qualityfund.core.runtime import files
from qualityfund.domain.inspection import sniff_type
from qualityfund.domain.money import to_wan_plain
from qualityfund.domain.plan import FUNDED, TIE_AT_CUTOFF
from qualityfund.domain.similarity.text import normalise as normalise_text

from .. import engine
from ..models import (
    Consultation,
    Decision,
    DuplicatePair,
    EarlierProject,
    FundingPlan,
    ItemStatus,
    PlanItem,
    PlanState,
)
from .uploads import read_upload

MINUTES_TYPES = ("pdf", "docx", "jpg", "png")

def lock_plan(plan: FundingPlan) -> FundingPlan:
    return FundingPlan.objects.select_for_update().select_related("guide").get(pk=plan.pk)


def require_state(plan: FundingPlan, *states: str) -> None:
    if plan.state not in states:
        wanted = "或".join(f"“{PlanState(s).label}”" for s in states)
        raise RuleViolation(f"方案当前为“{plan.get_state_display()}”，此操作只能在{wanted}阶段进行",
                            field="state")


def earlier_flags(applications: list[Application]) -> tuple[set[int], set[int]]:
    """(previously funded, not first time) application ids, from the earlier-funded import
    and the duplicate findings against it; two queries whatever the number."""
    codes = {a.organisation.credit_code for a in applications}
    earlier = list(EarlierProject.objects.filter(credit_code__in=codes)
                   .values("id", "credit_code", "subprogramme", "project_name"))
    linked = set(DuplicatePair.objects.filter(
        application__in=applications, other_earlier__isnull=False,
        check_record__superseded=False).exclude(check_record__decision=Decision.DISMISSED)
        .values_list("application_id", flat=True))
    previously, not_first = set(), set()
    for a in applications:
        mine = [e for e in earlier if e["credit_code"] == a.organisation.credit_code]
        same = [e for e in mine if e["subprogramme"] == a.subprogramme]
        name = normalise_text(a.project_name)
        # 同一项目仅资助1次: the same project name in the same sub-programme, or a
        # duplicate finding against an earlier funded project that was not dismissed.
        if a.pk in linked or any(normalise_text(e["project_name"]) == name for e in same):
            previously.add(a.pk)
        # 三（七）2: 评审首次达到… — an incubation award in an earlier year means not first.
        if same and a.subprogramme == "incubation":
            not_first.add(a.pk)
    return previously, not_first


def plan_inputs(guide, subprogramme: str | None = None) -> tuple[list[dict], dict]:
    """The engine's input for the cleared applications (of one sub-programme, or all),
    and the applications by id."""
    applications = Application.objects.filter(guide=guide, state=State.CLEARED)
    if subprogramme:
        applications = applications.filter(subprogramme=subprogramme)
    applications = list(applications.select_related("organisation").order_by("id"))
    previously, not_first = earlier_flags(applications)
    items = [engine.application_input(a, previously_funded=a.pk in previously,
                                      first_time=a.pk not in not_first) for a in applications]
    return items, {str(a.pk): a for a in applications}


@transaction.atomic
def draft_plan(guide, subprogramme: str, *, by, budget: int | None = None) -> FundingPlan:
    """拟资助方案: computed by the engine from the guide's rules for the cleared applications.

    Re-drafting replaces the items while the plan is still a draft."""
    require(by, "funding.draft_plan")
    spec = guide.subprogramme(subprogramme)
    if budget is not None and budget < 0:
        raise RuleViolation("预算金额不能为负数", field="budget")
    waiting = Application.objects.filter(guide=guide, subprogramme=subprogramme,
                                         state=State.REVIEWED).count()
    if waiting:
        raise RuleViolation(f"{spec.short_name}尚有{waiting}个已评审项目未完成不予资助情形查询，"
                            "不能拟定资助方案", field="subprogramme")
    plan = (FundingPlan.objects.select_for_update()
            .filter(guide=guide, subprogramme=subprogramme).first())
    now = timezone.now()
    if plan is not None:
        require_state(plan, PlanState.DRAFT)
        plan.items.all().delete()
        plan.budget, plan.drafted_by, plan.drafted_at = budget, by, now
        plan.save(update_fields=["budget", "drafted_by", "drafted_at"])
    else:
        plan = FundingPlan.objects.create(guide=guide, subprogramme=subprogramme,
                                          budget=budget, drafted_by=by, drafted_at=now)
    items, by_id = plan_inputs(guide, subprogramme)
    if not items:
        raise RuleViolation(f"{spec.short_name}没有通过不予资助情形查询的项目，无需拟定方案",
                            field="subprogramme")
    result = engine.compute(guide.spec, items,
                            {subprogramme: budget} if budget is not None else None)
    PlanItem.objects.bulk_create([
        PlanItem(plan=plan, application=by_id[str(r["id"])], rank=r["rank"],
                 score=by_id[str(r["id"])].review_score, engine_status=r["status"],
                 engine_amount=r["amount"], engine_reason=r["reason"], status=r["status"],
                 amount=r["amount"])
        for r in result["results"]])
    audit.record(by, "funding.plan.draft", plan, budget=budget, total=result["totals"].get(
        subprogramme, 0), items=len(items))
    return plan


def _check_limits(plan: FundingPlan, items: list[PlanItem]) -> None:
    """The guide's quota, organisation limit and the budget, on the plan as it would be."""
    funding = plan.spec.funding
    funded = [i for i in items if i.status == ItemStatus.FUNDED]
    clause = plan.spec.clause
    if funding.max_projects is not None and len(funded) > funding.max_projects:
        raise RuleViolation(f"资助项目数{len(funded)}个超过上限：本子项目本年度资助不超过"
                            f"{funding.max_projects}个项目（指南{clause}）", field="amount")
    if funding.max_per_org is not None:
        per_org: dict[int, int] = {}
        for item in funded:
            org = item.application.organisation_id
            per_org[org] = per_org.get(org, 0) + 1
            if per_org[org] > funding.max_per_org:
                raise RuleViolation(
                    f"{item.application.organisation.name}获资助项目超过上限：同一单位当年获得"
                    f"资助项目不超过{funding.max_per_org}项（指南{clause}）", field="amount")
    total = sum(i.amount for i in funded)
    if plan.budget is not None and total > plan.budget:
        raise RuleViolation(f"资助总额{to_wan_plain(total)}万元超过预算"
                            f"{to_wan_plain(plan.budget)}万元（指南七（八））", field="amount")


def _set_amount(item: PlanItem, amount: int, reason: str, by, plan: FundingPlan) -> dict:
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
        raise RuleViolation("资助金额应为不小于0的整数（元）", field="amount")
    maximum = plan.spec.funding.maximum
    if amount > maximum:
        raise RuleViolation(f"资助金额不得超过本子项目单个项目最高资助额{to_wan_plain(maximum)}万元"
                            f"（指南{plan.spec.clause}）", field="amount")
    if item.engine_status not in (FUNDED, TIE_AT_CUTOFF):
        raise RuleViolation(f"该项目按规则不予资助（{item.engine_reason}），不能调整金额",
                            field="amount")
    before = {"amount": item.amount, "status": item.status}
    item.amount = amount
    item.status = ItemStatus.FUNDED if amount > 0 else ItemStatus.NOT_FUNDED
    item.adjustment_reason, item.adjusted_by, item.adjusted_at = reason, by, timezone.now()
    return before


@transaction.atomic
def adjust_amount(item: PlanItem, amount: int, *, reason: str, by) -> PlanItem:
    """指南 七（八）: the bureau may adjust an amount — only with a reason, on the record."""
    require(by, "funding.adjust_plan", item.plan)
    plan = lock_plan(item.plan)
    require_state(plan, PlanState.DRAFT, PlanState.CONSULTATION)
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation("调整资助金额须填写调整理由", field="reason")
    items = list(plan.items.select_related("application__organisation"))
    item = next(i for i in items if i.pk == item.pk)
    before = _set_amount(item, amount, reason, by, plan)
    _check_limits(plan, items)
    item.save(update_fields=["amount", "status", "adjustment_reason", "adjusted_by",
                             "adjusted_at"])
    audit.record(by, "funding.plan.adjust", plan, item=item.pk,
                 application=item.application_id, before=before,
                 after={"amount": amount, "status": item.status}, reason=reason)
    return item


@transaction.atomic
def send_for_consultation(plan: FundingPlan, departments: list[str], *, by) -> FundingPlan:
    """征求意见: the draft goes to the named departments."""
    require(by, "funding.consult", plan)
    plan = lock_plan(plan)
    require_state(plan, PlanState.DRAFT)
    names = list(dict.fromkeys(d.strip() for d in departments if d and d.strip()))
    if not names:
        raise RuleViolation("请至少填写一个征求意见的部门", field="departments")
    now = timezone.now()
    Consultation.objects.bulk_create(
        [Consultation(plan=plan, department=name[:100], sent_at=now, sent_by=by)
         for name in names])
    plan.state = PlanState.CONSULTATION
    plan.save(update_fields=["state"])
    audit.record(by, "funding.plan.consult", plan, departments=names)
    return plan


@transaction.atomic
def record_opinion(consultation: Consultation, opinion: str, *, by) -> Consultation:
    require(by, "funding.consult", consultation.plan)
    plan = lock_plan(consultation.plan)
    require_state(plan, PlanState.CONSULTATION)
    opinion = (opinion or "").strip()
    if not opinion:
        raise RuleViolation(f"请填写{consultation.department}的意见", field="opinion")
    consultation.opinion, consultation.opinion_at = opinion, timezone.now()
    consultation.recorded_by = by
    consultation.save(update_fields=["opinion", "opinion_at", "recorded_by"])
    audit.record(by, "funding.plan.opinion", plan, department=consultation.department,
                 opinion=opinion)
    return consultation


@transaction.atomic
def record_decision(plan: FundingPlan, *, meeting_date: date, minutes, decision: str, by,
                    ties: dict[int, bool] | None = None) -> FundingPlan:
    """集体研究决策: meeting date, minutes and decision; ties at the cut are settled here.

    From now on the plan is locked: amounts can no longer change."""
    require(by, "funding.decide_plan", plan)
    plan = lock_plan(plan)
    require_state(plan, PlanState.CONSULTATION)
    waiting = [c.department for c in plan.consultations.all() if not c.opinion_at]
    if waiting:
        raise RuleViolation(f"以下部门尚未反馈意见：{'、'.join(waiting)}", field="consultations")
    if not isinstance(meeting_date, date) or meeting_date > timezone.localdate():
        raise RuleViolation("会议日期须为今天或之前的日期", field="meeting_date")
    decision = (decision or "").strip()
    if not decision:
        raise RuleViolation("请填写集体研究决策意见", field="decision")
    if minutes is None:
        raise RuleViolation("请上传会议纪要", field="minutes")
    kind = sniff_type(read_upload(minutes)[:8192])
    if kind not in MINUTES_TYPES:
        raise RuleViolation("会议纪要应为PDF、Word（docx）或图片（JPG/PNG）", field="minutes")
    items = list(plan.items.select_related("application__organisation"))
    ties = ties or {}
    settled = []
    for item in items:
        if item.status != ItemStatus.TIE:
            continue
        if item.pk not in ties:
            raise RuleViolation(f"并列项目“{item.application.project_name}”须由集体研究决策确定"
                                "是否资助", field=f"tie_{item.pk}")
        award = engine.plan_rules(plan.spec).award(
            item.application.review_amount or item.application.requested_amount,
            item.application.review_tier)
        _set_amount(item, award if ties[item.pk] else 0, f"集体研究决策（{meeting_date:%Y-%m-%d}）"
                    f"{'确定予以资助' if ties[item.pk] else '确定不予资助'}", by, plan)
        settled.append(item)
    _check_limits(plan, items)
    for item in settled:
        item.save(update_fields=["amount", "status", "adjustment_reason", "adjusted_by",
                                 "adjusted_at"])
    plan.minutes_name = minutes.name[:255]
    files.save(plan.minutes, f"{plan.pk}-{kind}", minutes)
    plan.meeting_date, plan.decision_text = meeting_date, decision
    plan.decided_by, plan.decided_at, plan.state = by, timezone.now(), PlanState.DECIDED
    plan.save()
    audit.record(by, "funding.plan.decide", plan, meeting_date=meeting_date.isoformat(),
                 decision=decision, minutes=plan.minutes_name,
                 ties={str(k): v for k, v in ties.items()},
                 total=sum(i.amount for i in items if i.status == ItemStatus.FUNDED))
    return plan
