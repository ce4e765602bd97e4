"""拟资助方案: drafting from the engine, adjustments with a reason, 征求意见 and
集体研究决策 (指南 五)."""

from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from qualityfund.core.accounts.identity import snapshots
from qualityfund.core.applications.models import Application
from qualityfund.core.applications.states import State
from qualityfund.core.common import audit, text
from qualityfund.core.common.errors import RuleViolation
from qualityfund.core.common.permissions import require
from qualityfund.core.runtime import files
from qualityfund.domain.inspection import sniff_type
from qualityfund.domain.money import to_wan_plain
from qualityfund.domain.plan import FUNDED, TIE_AT_CUTOFF
from qualityfund.domain.similarity.text import normalise as normalise_text

from .. import engine, history, rounds
from ..models import (
    Consultation,
    Decision,
    DuplicatePair,
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


def earlier_flags(applications: list[Application], year: int) -> tuple[set[int], set[int]]:
    """(previously funded, not first time) application ids, from 往年已资助项目 — imported, and
    the platform's own awards of earlier years — and the duplicate findings against them that
    were not dismissed; three queries whatever the number."""
    codes = {a.organisation.credit_code for a in applications}
    earlier = history.funded_before(year, codes) if codes else []
    linked = set(DuplicatePair.objects.filter(
        Q(other_earlier__isnull=False) | Q(other_application__guide__year__lt=year,
                                           other_application__state__in=history.FUNDED_STATES),
        application__in=applications, check_record__superseded=False)
        .exclude(check_record__decision=Decision.DISMISSED)
        .values_list("application_id", flat=True)) if applications else set()
    previously, not_first = set(), set()
    for a in applications:
        mine = [e for e in earlier if e.credit_code == a.organisation.credit_code]
        same = [e for e in mine if e.subprogramme == a.subprogramme]
        name = normalise_text(a.project_name)
        # 同一项目仅资助1次: the same project name in the same sub-programme, or a
        # duplicate finding against an earlier funded project that was not dismissed.
        if a.pk in linked or any(normalise_text(e.project_name) == name for e in same):
            previously.add(a.pk)
        # 三（七）2: 评审首次达到… — an incubation award in an earlier year means not first.
        if same and a.subprogramme == "incubation":
            not_first.add(a.pk)
    return previously, not_first


def plan_inputs(guide, subprogramme: str | None = None, *, plan: FundingPlan | None = None
                ) -> tuple[list[dict], dict]:
    """The engine's input for the cleared applications (of one sub-programme, or all), and
    the applications by id: those on no plan or on ``plan``; without ``plan`` (what-if),
    those on no plan that the decision has locked."""
    applications = Application.objects.filter(guide=guide, state=State.CLEARED)
    if subprogramme:
        applications = applications.filter(subprogramme=subprogramme)
    if plan is not None:
        applications = applications.filter(Q(plan_item__isnull=True) | Q(plan_item__plan=plan))
    else:
        applications = applications.exclude(plan_item__plan__state__in=rounds.LOCKED)
    applications = list(applications.select_related("organisation").order_by("id"))
    previously, not_first = earlier_flags(applications, guide.year)
    items = [engine.application_input(a, previously_funded=a.pk in previously,
                                      first_time=a.pk not in not_first) for a in applications]
    return items, {str(a.pk): a for a in applications}


def _listed(applications) -> str:
    shown = "、".join(f"{a.number or a.pk}（{a.public_state}）" for a in applications[:10])
    return shown + (f"等{len(applications)}个" if len(applications) > 10 else "")


def _round_of(plans: list[FundingPlan], waiting: list, round_name: str, reason: str,
              short_name: str) -> tuple[str, bool]:
    """The plan's round name and whether it is a supplementary plan; refuses a plan that
    would leave applications out without a recorded reason."""
    if waiting and not reason:
        raise RuleViolation(
            f"{short_name}尚有{len(waiting)}个项目未完成评审或不予资助情形查询：{_listed(waiting)}。"
            "拟资助方案须覆盖本子项目的全部项目；确需分批次先行拟定的，请填写批次名称和分批理由",
            field="reason", problems=[a.pk for a in waiting])
    earlier = plans[-1] if plans else None
    supplementary = earlier is not None and not earlier.split
    if supplementary and not reason:
        raise RuleViolation(f"{earlier}已覆盖本子项目全部项目，追加方案须填写追加理由",
                            field="reason")
    if not round_name and (waiting or earlier is not None):
        round_name = f"第{len(plans) + 1}批"
    return round_name, supplementary


@transaction.atomic
def draft_plan(guide, subprogramme: str, *, by, budget: int | None = None,
               round_name: str = "", reason: str = "") -> FundingPlan:
    """拟资助方案: computed by the engine from the guide's rules for the cleared applications
    that no other plan holds, within what earlier rounds of the year left.

    A plan covers the whole field of its sub-programme: while any application is still in
    review, in a panel or waiting for its checks, drafting is refused unless the officer
    splits the year into rounds on purpose, with a reason. Re-drafting replaces the items
    while the plan is still a draft; ``budget`` is the sub-programme's budget for the year."""
    require(by, "funding.draft_plan")
    try:
        spec = guide.subprogramme(subprogramme)
    except KeyError:
        raise RuleViolation(f"指南中没有子项目“{subprogramme}”", field="subprogramme") from None
    if budget is not None and budget < 0:
        raise RuleViolation("预算金额不能为负数", field="budget")
    round_name, reason = (round_name or "").strip()[:50], (reason or "").strip()
    plans = list(FundingPlan.objects.select_for_update()
                 .filter(guide=guide, subprogramme=subprogramme).order_by("number"))
    plan = plans.pop() if plans and plans[-1].state == PlanState.DRAFT else None
    if plans and not plans[-1].locked:
        raise RuleViolation(f"{plans[-1]}尚在“{plans[-1].get_state_display()}”阶段，须集体研究决策"
                            "后才能拟定下一批次方案", field="subprogramme")
    waiting = rounds.not_ready(guide, subprogramme)
    round_name, supplementary = _round_of(plans, waiting, round_name, reason, spec.short_name)
    used = rounds.used_by(plans).get(subprogramme, rounds.Used())
    if budget is None and plans:
        budget = plans[-1].budget
    if budget is not None and budget < used.amount:
        raise RuleViolation(f"本年度预算不得少于前批次已安排的{to_wan_plain(used.amount)}万元",
                            field="budget")
    fields = {"budget": budget, "drafted_by": by, "drafted_at": timezone.now(),
              "round_name": round_name, "split": bool(waiting), "supplementary": supplementary,
              "reason": reason}
    if plan is not None:
        plan.items.all().delete()
        for name, value in fields.items():
            setattr(plan, name, value)
        plan.save(update_fields=list(fields))
    else:
        plan = FundingPlan.objects.create(guide=guide, subprogramme=subprogramme,
                                          number=len(plans) + 1, **fields)
    items, by_id = plan_inputs(guide, subprogramme, plan=plan)
    if not items:
        raise RuleViolation(f"{spec.short_name}没有通过不予资助情形查询、尚未纳入方案的项目，"
                            "无需拟定方案", field="subprogramme")
    result = engine.compute(guide.spec, items,
                            {subprogramme: budget} if budget is not None else None,
                            {subprogramme: used.as_input()} if plans else None)
    PlanItem.objects.bulk_create([
        PlanItem(plan=plan, application=by_id[str(r["id"])], rank=r["rank"],
                 score=by_id[str(r["id"])].review_score, engine_status=r["status"],
                 engine_amount=r["amount"], engine_reason=r["reason"], status=r["status"],
                 amount=r["amount"])
        for r in result["results"]])
    audit.record(by, "funding.plan.draft", plan, budget=budget, total=result["totals"].get(
        subprogramme, 0), items=len(items), round=round_name, reason=reason,
        split=bool(waiting), supplementary=supplementary, left=[a.pk for a in waiting],
        earlier=used.as_input())
    return plan


def _check_limits(plan: FundingPlan, items: list[PlanItem]) -> None:
    """The guide's quota, organisation limit and the year's budget, on the plan as it would
    be, together with what the earlier rounds of the year funded."""
    funding = plan.spec.funding
    funded = [i for i in items if i.status == ItemStatus.FUNDED]
    used = rounds.used_by(rounds.earlier_plans(plan)).get(plan.subprogramme, rounds.Used())
    earlier = f"（含前批次{used.projects}个）" if used.projects else ""
    clause = plan.spec.clause
    if funding.max_projects is not None and len(funded) + used.projects > funding.max_projects:
        raise RuleViolation(f"资助项目数{len(funded) + used.projects}个{earlier}超过上限："
                            f"本子项目本年度资助不超过{funding.max_projects}个项目（指南{clause}）",
                            field="amount")
    if funding.max_per_org is not None:
        per_org = dict(used.orgs)
        for item in funded:
            code = item.application.organisation.credit_code
            per_org[code] = per_org.get(code, 0) + 1
            if per_org[code] > funding.max_per_org:
                raise RuleViolation(
                    f"{item.application.organisation.name}获资助项目超过上限：同一单位当年获得"
                    f"资助项目不超过{funding.max_per_org}项（指南{clause}）", field="amount")
    total = sum(i.amount for i in funded) + used.amount
    if plan.budget is not None and total > plan.budget:
        spent = f"（含前批次{to_wan_plain(used.amount)}万元）" if used.amount else ""
        raise RuleViolation(f"资助总额{to_wan_plain(total)}万元{spent}超过本年度预算"
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
    reason = text.clean(PlanItem, "adjustment_reason", reason, field="reason",
                        required="调整资助金额须填写调整理由")
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
    names = list(dict.fromkeys(text.clean(Consultation, "department", d, field="departments")
                               for d in departments if d and d.strip()))
    if not names:
        raise RuleViolation("请至少填写一个征求意见的部门", field="departments")
    now = timezone.now()
    Consultation.objects.bulk_create(
        [Consultation(plan=plan, department=name, sent_at=now, sent_by=by)
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
    opinion = text.clean(Consultation, "opinion", opinion,
                         required=f"请填写{consultation.department}的意见")
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

    From now on the plan is locked: amounts can no longer change, and each organisation is
    kept as it is now (决策时快照)."""
    require(by, "funding.decide_plan", plan)
    plan = lock_plan(plan)
    require_state(plan, PlanState.CONSULTATION)
    waiting = [c.department for c in plan.consultations.all() if not c.opinion_at]
    if waiting:
        raise RuleViolation(f"以下部门尚未反馈意见：{'、'.join(waiting)}", field="consultations")
    if not isinstance(meeting_date, date) or meeting_date > timezone.localdate():
        raise RuleViolation("会议日期须为今天或之前的日期", field="meeting_date")
    decision = text.clean(FundingPlan, "decision_text", decision, field="decision",
                          required="请填写集体研究决策意见")
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
    # The organisations as decided: the notice, the final plan and the payment use these.
    taken = snapshots(item.application.organisation_id for item in items)
    for item in items:
        item.organisation_snapshot = taken[item.application.organisation_id]
    PlanItem.objects.bulk_update(items, ["organisation_snapshot"])
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
