"""Every change after review, each in one transaction with a permission check and an audit
record: imports, disqualifier checks, the plan's lifecycle, objections, payment.

指南 五: 不予资助情形查询——拟资助方案征求意见——集体研究决策——拟资助方案社会公示——
预算管理及资金拨付. Views, the API and commands call these; none sets a state itself.
"""

import hashlib
from datetime import date, datetime
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
from qualityfund.domain import credit_code
from qualityfund.domain.identity import resident_id
from qualityfund.domain.inspection import sniff_type
from qualityfund.domain.money import format_yuan, to_wan_plain
from qualityfund.domain.plan import FUNDED, TIE_AT_CUTOFF
from qualityfund.domain.selfcheck import names_identical
from qualityfund.domain.similarity.text import normalise as normalise_text
from qualityfund.domain.workdays import deadline_after

from . import engine, similarity
from .models import (
    Consultation,
    Decision,
    DisbursementBatch,
    DisqualifierCheck,
    DuplicatePair,
    EarlierProject,
    FundingPlan,
    ItemStatus,
    ListEntry,
    ListImport,
    Objection,
    Payment,
    PlanItem,
    PlanState,
)
from .sources import LIST_CHECKS, source_for
from .tables import EARLIER_COLUMNS, LIST_COLUMNS, TableError, read_table

NOTICE_WORKDAYS = 5  # 社会公示: 5 working days unless the bureau sets another period
SCAN_TYPES = ("pdf", "jpg", "png")
SCAN_MAX_BYTES = 10 * 1024 * 1024
MINUTES_TYPES = ("pdf", "docx", "jpg", "png")


def _read(uploaded) -> bytes:
    data = b"".join(uploaded.chunks())
    uploaded.seek(0)
    return data


def _table(uploaded, columns) -> tuple[list[dict], str]:
    data = _read(uploaded)
    try:
        rows = read_table(uploaded.name, data, columns)
    except TableError as exc:
        raise RuleViolation("导入失败：" + "；".join(exc.problems[:20]) + (
            f"；另有{len(exc.problems) - 20}处问题" if len(exc.problems) > 20 else ""),
            field="file", problems=exc.problems) from None
    return rows, hashlib.sha256(data).hexdigest()


# --- imports ----------------------------------------------------------------------------------


@transaction.atomic
def import_list(kind: str, uploaded, *, by) -> ListImport:
    """A new version of one list (CSV or Excel: 统一社会信用代码, 名称, 日期, 来源).

    The new file replaces the list's earlier entries: a list is a snapshot of its source."""
    require(by, "funding.import_list")
    if kind not in LIST_CHECKS:
        raise RuleViolation(f"未知名单类型：{kind}", field="kind")
    rows, sha = _table(uploaded, LIST_COLUMNS)
    ListEntry.objects.filter(kind=kind).delete()
    batch = ListImport.objects.create(kind=kind, original_name=uploaded.name[:255], sha256=sha,
                                      rows=len(rows), imported_by=by)
    ListEntry.objects.bulk_create(
        [ListEntry(kind=kind, batch=batch, **row) for row in rows], batch_size=1000)
    audit.record(by, "funding.list.import", batch, kind=kind, rows=len(rows), sha256=sha)
    return batch


@transaction.atomic
def import_earlier(uploaded, *, by) -> int:
    """Projects funded in earlier years (Excel/CSV), stored with their signatures."""
    require(by, "funding.import_earlier")
    rows, sha = _table(uploaded, EARLIER_COLUMNS)
    projects = EarlierProject.objects.bulk_create(
        [EarlierProject(imported_by=by, **row) for row in rows])
    similarity.store_earlier(projects)
    audit.record(by, "funding.earlier.import", projects[0], rows=len(rows), sha256=sha,
                 file=uploaded.name[:255])
    return len(projects)


# --- disqualifier checks ------------------------------------------------------------------------


def _lock_application(application: Application) -> Application:
    return Application.objects.select_for_update().select_related(
        "guide", "organisation").get(pk=application.pk)


def index_year(year: int) -> int:
    """Store the document of every application of ``year`` that was submitted, so that each
    check compares with all of them, whatever the sub-programme."""
    applications = (Application.objects.filter(guide__year=year, submitted_at__isnull=False)
                    .exclude(state__in=[State.WITHDRAWN])
                    .select_related("guide", "organisation"))
    for application in applications:
        similarity.store_application(application)
    return len(applications)


def _duplicate_check(application, situation, by, now) -> DisqualifierCheck:
    document = similarity.store_application(application)
    found = similarity.check(document)
    check = DisqualifierCheck.objects.create(
        application=application, situation_id=situation.id, clause=situation.clause,
        check_kind=situation.check, situation=situation.text[:300],
        source=(f"本年度全部申报项目及往年已资助项目查重（项目名称、简介、报告正文；"
                f"阈值{similarity.threshold():.2f}）"),
        ran_at=now, ran_by=by, outcome="hit" if found else "clear",
        decision=Decision.PENDING if found else "",
        findings=[{"other": f.other_key, "kind": f.pair.kind,
                   "similarity": round(f.pair.similarity, 4),
                   "containment": round(f.pair.containment, 4)} for f in found],
    )
    docs = similarity.StoredDocuments()
    docs.prefetch(f.other_key for f in found)
    DuplicatePair.objects.bulk_create([
        DuplicatePair(
            check_record=check, application=application, other_key=f.other_key,
            other_application_id=(int(f.other_key[4:]) if f.other_key.startswith("app-")
                                  else None),
            other_earlier_id=(int(f.other_key[8:]) if f.other_key.startswith("earlier-")
                              else None),
            other_title=docs[f.other_key].title, kind=f.pair.kind,
            similarity=Decimal(str(round(f.pair.similarity, 4))),
            containment=Decimal(str(round(f.pair.containment, 4))),
            whole_key=f.pair.whole or "", passages=f.passages[:20])
        for f in found])
    return check


@transaction.atomic
def run_checks(application: Application, *, by) -> list[DisqualifierCheck]:
    """不予资助情形查询 for one reviewed application: one check per situation of 指南 七（七）
    that has a source (the lists, and duplicates). Earlier checks are kept, superseded."""
    require(by, "funding.run_checks", application)
    application = _lock_application(application)
    if application.state != State.REVIEWED:
        raise RuleViolation(
            f"申请当前状态为“{application.public_state}”，只有已评审的项目进行不予资助情形查询",
            field="state")
    now = timezone.now()
    application.disqualifier_checks.filter(superseded=False).update(superseded=True)
    checks = []
    for situation in application.guide.spec.not_funded:
        if situation.check in LIST_CHECKS:
            source = source_for(situation.check)
            findings = [f.as_dict() for f in source.lookup(application.organisation)]
            checks.append(DisqualifierCheck.objects.create(
                application=application, situation_id=situation.id, clause=situation.clause,
                check_kind=situation.check, situation=situation.text[:300],
                source=source.describe()[:300], ran_at=now, ran_by=by,
                outcome="hit" if findings else "clear",
                decision=Decision.PENDING if findings else "", findings=findings))
        elif situation.check == "duplicate":
            checks.append(_duplicate_check(application, situation, by, now))
    audit.record(by, "funding.checks.run", application,
                 hits=[c.situation_id for c in checks if c.outcome == "hit"],
                 ran=[c.situation_id for c in checks])
    return checks


@transaction.atomic
def decide_check(check: DisqualifierCheck, *, confirm: bool, reason: str, by
                 ) -> DisqualifierCheck:
    """An officer's judgement of a hit: confirmed, the application is disqualified with the
    reason on the applicant's timeline; dismissed, the hit no longer blocks clearance."""
    require(by, "funding.decide_check", check.application)
    check = DisqualifierCheck.objects.select_for_update().get(pk=check.pk)
    application = _lock_application(check.application)
    if check.outcome != "hit" or check.superseded or check.decision != Decision.PENDING:
        raise RuleViolation("该查询结果无需确认或已确认", field="decision")
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation("请填写确认理由（将告知申报单位）" if confirm
                            else "请填写排除理由", field="reason")
    check.decision = Decision.CONFIRMED if confirm else Decision.DISMISSED
    check.decided_by, check.decided_at, check.decision_reason = by, timezone.now(), reason
    check.save(update_fields=["decision", "decided_by", "decided_at", "decision_reason"])
    if confirm and application.state == State.REVIEWED:
        note = f"不予资助：{check.situation}（指南{check.clause}）。{reason}"
        transition(application, State.DISQUALIFIED, by=by, note=note)
        notify_about(application, kind="funding.disqualified", title="不予资助", body=note)
    audit.record(by, "funding.check.confirm" if confirm else "funding.check.dismiss",
                 application, check=check.pk, situation=check.situation_id, reason=reason)
    return check


def clearance_problems(application: Application, checks: list[DisqualifierCheck]) -> list[str]:
    """Why ``application`` cannot be cleared yet ([] when it can)."""
    current = {c.situation_id: c for c in checks if not c.superseded}
    problems = []
    for situation in application.guide.spec.not_funded:
        if situation.check not in (*LIST_CHECKS, "duplicate"):
            continue
        check = current.get(situation.id)
        if check is None:
            problems.append(f"尚未查询：{situation.text[:20]}（指南{situation.clause}）")
        elif check.decision == Decision.PENDING:
            problems.append(f"疑似情形待确认：{situation.text[:20]}（指南{situation.clause}）")
        elif check.decision == Decision.CONFIRMED:
            problems.append(f"已确认不予资助：{situation.text[:20]}（指南{situation.clause}）")
    return problems


@transaction.atomic
def clear_application(application: Application, *, by) -> Application:
    """不予资助情形查询通过: every situation checked and no hit left standing."""
    require(by, "funding.decide_check", application)
    application = _lock_application(application)
    if application.state != State.REVIEWED:
        raise RuleViolation(f"申请当前状态为“{application.public_state}”，不能确认查询通过",
                            field="state")
    problems = clearance_problems(application, list(application.disqualifier_checks.all()))
    if problems:
        raise RuleViolation("不能确认查询通过：" + "；".join(problems), field="checks")
    transition(application, State.CLEARED, by=by,
               note="不予资助情形查询未发现不予资助情形（指南七（七））")
    return application


# --- the funding plan ---------------------------------------------------------------------------


def _lock_plan(plan: FundingPlan) -> FundingPlan:
    return FundingPlan.objects.select_for_update().select_related("guide").get(pk=plan.pk)


def _require_state(plan: FundingPlan, *states: str) -> None:
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
        _require_state(plan, PlanState.DRAFT)
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
    plan = _lock_plan(item.plan)
    _require_state(plan, PlanState.DRAFT, PlanState.CONSULTATION)
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
    plan = _lock_plan(plan)
    _require_state(plan, PlanState.DRAFT)
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
    plan = _lock_plan(consultation.plan)
    _require_state(plan, PlanState.CONSULTATION)
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
    plan = _lock_plan(plan)
    _require_state(plan, PlanState.CONSULTATION)
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
    kind = sniff_type(_read(minutes)[:8192])
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
    plan.minutes.save(f"{plan.pk}-{kind}", minutes, save=False)
    plan.meeting_date, plan.decision_text = meeting_date, decision
    plan.decided_by, plan.decided_at, plan.state = by, timezone.now(), PlanState.DECIDED
    plan.save()
    audit.record(by, "funding.plan.decide", plan, meeting_date=meeting_date.isoformat(),
                 decision=decision, minutes=plan.minutes_name,
                 ties={str(k): v for k, v in ties.items()},
                 total=sum(i.amount for i in items if i.status == ItemStatus.FUNDED))
    return plan


@transaction.atomic
def publish_notice(plan: FundingPlan, *, by, starts_at: datetime | None = None,
                   workdays: int = NOTICE_WORKDAYS) -> FundingPlan:
    """社会公示: public from ``starts_at`` to 18:00 of the n-th working day after it."""
    require(by, "funding.publish_notice", plan)
    plan = _lock_plan(plan)
    _require_state(plan, PlanState.DECIDED)
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
    plan = _lock_plan(plan)
    at = at or timezone.now()
    if plan.state != PlanState.NOTICED or not (plan.notice_starts_at <= at <= plan.notice_ends_at):
        raise RuleViolation("不在公示期内，不能提出异议", field="plan")
    if item is not None and item.plan_id != plan.pk:
        raise RuleViolation("所选项目不在本公示名单中", field="item")
    name, identifier = (filer_name or "").strip(), (filer_id or "").strip()
    phone, content = (phone or "").strip(), (content or "").strip()
    if not name:
        raise RuleViolation("匿名异议不予受理：请填写异议人姓名或单位名称", field="filer_name")
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
    if not phone:
        raise RuleViolation("请填写联系电话，以便答复", field="phone")
    if not content:
        raise RuleViolation("请填写异议内容及理由", field="content")
    objection = Objection(plan=plan, item=item, filer_kind=filer_kind, filer_name=name[:200],
                          filer_id=identifier, phone=phone[:30], content=content, filed_at=at)
    if sealed_scan is not None:
        head = _read(sealed_scan)[:8192]
        if sealed_scan.size > SCAN_MAX_BYTES or sniff_type(head) not in SCAN_TYPES:
            raise RuleViolation("盖章扫描件应为不超过10MB的PDF、JPG或PNG文件", field="sealed_scan")
        objection.sealed_scan_name = sealed_scan.name[:255]
        objection.sealed_scan.save(sealed_scan.name, sealed_scan, save=False)
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
    handling, answer = (handling or "").strip(), (answer or "").strip()
    if not handling:
        raise RuleViolation("请填写处理情况（核查经过与结论）", field="handling")
    if not answer:
        raise RuleViolation("请填写给异议人的答复", field="answer")
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
    plan = _lock_plan(plan)
    _require_state(plan, PlanState.NOTICED)
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


# --- payment ------------------------------------------------------------------------------------


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
