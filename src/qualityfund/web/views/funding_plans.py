"""The funding plan pages: draft, what-if, adjust, consult, decide, notice, objections, final."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from qualityfund.core.common import audit
from qualityfund.core.common.downloads import file_download
from qualityfund.core.common.errors import RuleViolation
from qualityfund.core.funding import engine, exports, queries, renderers, rounds, services
from qualityfund.core.funding.models import (
    Consultation,
    ItemStatus,
    Objection,
    PlanItem,
    PlanState,
)
from qualityfund.core.guides.models import Guide
from qualityfund.domain.money import parse_yuan, to_wan
from qualityfund.domain.plan import PlanInputError

from .funding import acting, bureau_required, page_context, plan_or_404, xlsx_response


def _yuan(raw: str, field: str, label: str) -> int | None:
    if raw is None or not raw.strip():
        return None
    try:
        return parse_yuan(raw)
    except ValueError as exc:
        raise RuleViolation(f"{label}：{exc}", field=field) from None


@bureau_required
def plan_list(request):
    context = page_context(request)
    filters = context["filters"]
    if request.GET.get("export") == "xlsx":
        return xlsx_response(request, exports.plans_xlsx(filters), "拟资助方案.xlsx")
    context["rows"] = queries.plan_rows(filters, context["subprogrammes"])
    return render(request, "web/funding/plans.html", context)


@acting
def draft_plan(request):
    guide = get_object_or_404(Guide, pk=request.POST.get("guide"))
    budget = _yuan(request.POST.get("budget", ""), "budget", "本年度预算")
    plan = services.draft_plan(guide, request.POST.get("subprogramme", ""), by=request.user,
                               budget=budget, round_name=request.POST.get("round_name", ""),
                               reason=request.POST.get("reason", ""))
    messages.success(request, f"已拟定{plan}")
    return redirect("web:funding-plan", pk=plan.pk)


@bureau_required
def plan_detail(request, pk):
    plan = plan_or_404(pk)
    if request.GET.get("export") == "xlsx":
        filters = queries.Filters(guide=plan.guide, subprogramme=plan.subprogramme)
        return xlsx_response(request, exports.plans_xlsx(filters), f"{plan}.xlsx", plan)
    items = list(queries.plan_items(plan))
    funded = [i for i in items if i.status == ItemStatus.FUNDED]
    user = request.user
    return render(request, "web/funding/plan.html", {
        "plan": plan, "spec": plan.spec, "items": items, "plan_steps": PlanState.choices,
        "round": rounds.summary(plan, items),
        "total": sum(i.amount for i in funded), "funded_count": len(funded),
        "ties": [i for i in items if i.status == ItemStatus.TIE],
        "consultations": list(plan.consultations.select_related("recorded_by")),
        "objections": list(plan.objections.select_related("item__application", "handled_by")),
        "trail": audit.trail(plan)[:40],
        "can_adjust": user.has_perm("funding.adjust_plan", plan) and not plan.locked,
        "can_consult": user.has_perm("funding.consult", plan),
        "can_decide": user.has_perm("funding.decide_plan", plan),
        "can_notice": user.has_perm("funding.publish_notice", plan),
        "can_answer": user.has_perm("funding.answer_objection", plan),
        "can_finalise": user.has_perm("funding.finalise_plan", plan),
        "today": date.today(),
    })


@acting
def adjust_item(request, pk):
    item = get_object_or_404(PlanItem.objects.select_related("plan__guide"), pk=pk)
    amount = _yuan(request.POST.get("amount", ""), "amount", "资助金额")
    if amount is None:
        raise RuleViolation("请填写调整后的资助金额（元）", field="amount")
    services.adjust_amount(item, amount, reason=request.POST.get("reason", ""), by=request.user)
    messages.success(request, "资助金额已调整，理由已记录")
    return redirect("web:funding-plan", pk=item.plan_id)


@acting
def confirm_account(request, pk):
    item = get_object_or_404(PlanItem.objects.select_related("plan__guide"), pk=pk)
    services.confirm_account(item, reason=request.POST.get("reason", ""), by=request.user)
    messages.success(request, "已确认该单位的现有信息，拨付将使用现有账户")
    return redirect("web:funding-plan", pk=item.plan_id)


@acting
def consult(request, pk):
    plan = plan_or_404(pk)
    departments = request.POST.get("departments", "").replace("、", "\n").splitlines()
    services.send_for_consultation(plan, departments, by=request.user)
    messages.success(request, "已发送征求意见")
    return redirect("web:funding-plan", pk=pk)


@acting
def record_opinion(request, pk):
    consultation = get_object_or_404(Consultation.objects.select_related("plan"), pk=pk)
    services.record_opinion(consultation, request.POST.get("opinion", ""), by=request.user)
    messages.success(request, f"已记录{consultation.department}的意见")
    return redirect("web:funding-plan", pk=consultation.plan_id)


@acting
def decide(request, pk):
    plan = plan_or_404(pk)
    try:
        meeting_date = date.fromisoformat(request.POST.get("meeting_date", ""))
    except ValueError:
        raise RuleViolation("请填写会议日期", field="meeting_date") from None
    ties = {}
    for key, value in request.POST.items():
        if key.startswith("tie_") and key[4:].isdigit() and value in ("fund", "reject"):
            ties[int(key[4:])] = value == "fund"
    services.record_decision(plan, meeting_date=meeting_date,
                             minutes=request.FILES.get("minutes"),
                             decision=request.POST.get("decision", ""), by=request.user,
                             ties=ties)
    messages.success(request, "已记录集体研究决策，方案已锁定")
    return redirect("web:funding-plan", pk=pk)


@acting
def publish_notice(request, pk):
    plan = plan_or_404(pk)
    raw = request.POST.get("workdays", "") or str(services.NOTICE_WORKDAYS)
    if not raw.isdigit():
        raise RuleViolation("公示期应为工作日天数（整数）", field="workdays")
    services.publish_notice(plan, by=request.user, workdays=int(raw))
    messages.success(request, "已发布社会公示")
    return redirect("web:funding-plan", pk=pk)


@acting
def answer_objection(request, pk):
    objection = get_object_or_404(Objection.objects.select_related("plan"), pk=pk)
    services.answer_objection(objection, handling=request.POST.get("handling", ""),
                              answer=request.POST.get("answer", ""), by=request.user)
    messages.success(request, "异议已处理并答复")
    return redirect("web:funding-plan", pk=objection.plan_id)


@bureau_required
@require_safe
def objection_scan(request, pk):
    objection = get_object_or_404(Objection, pk=pk)
    if not objection.sealed_scan:
        raise Http404("该异议没有扫描件")
    audit.access(request, "download", objection, file=objection.sealed_scan_name or "异议书.pdf")
    return file_download(objection.sealed_scan, name=objection.sealed_scan_name or "异议书")


@bureau_required
@require_safe
def minutes(request, pk):
    plan = plan_or_404(pk)
    if not plan.minutes:
        raise Http404("尚未上传会议纪要")
    audit.access(request, "download", plan, file=plan.minutes_name or "会议纪要")
    return file_download(plan.minutes, name=plan.minutes_name or "会议纪要")


@acting
def finalise(request, pk):
    plan = plan_or_404(pk)
    services.finalise_plan(plan, by=request.user)
    messages.success(request, "资助计划已下达")
    return redirect("web:funding-plan", pk=pk)


def _final(pk) -> object:
    plan = plan_or_404(pk)
    if plan.state != PlanState.FINAL:
        raise Http404("资助计划尚未下达")
    return plan


@bureau_required
@require_safe
def final_pdf(request, pk):
    plan = _final(pk)
    audit.access(request, "download", plan, file="final-plan.pdf")
    response = HttpResponse(renderers.final_plan_pdf(plan), content_type="application/pdf")
    response["Content-Disposition"] = "inline; filename=final-plan.pdf"
    return response


@bureau_required
@require_safe
def final_xlsx(request, pk):
    plan = _final(pk)
    return xlsx_response(request, renderers.final_plan_xlsx(plan), f"{plan}（资助计划）.xlsx",
                         plan)


@bureau_required
def whatif(request):
    """What if the budgets were…: the engine on the cleared applications, nothing saved."""
    if not request.user.has_perm("funding.draft_plan"):
        raise PermissionDenied("仅受理/初审人员可进行资助方案测算")
    source = request.POST if request.method == "POST" else request.GET
    context = page_context(request, source)
    guide = context["filters"].guide
    budgets, error = {}, ""
    for sub in context["subprogrammes"]:
        try:
            value = _yuan(source.get(f"budget_{sub.key}", ""), f"budget_{sub.key}",
                          f"{sub.short_name}预算")
        except RuleViolation as exc:
            error = exc.message
            continue
        if value is not None:
            budgets[sub.key] = value
    items, by_id = services.plan_inputs(guide) if guide else ([], {})
    earlier = ({key: used.as_input() for key, used in
                rounds.used_by(rounds.locked_plans(guide)).items()} if guide else {})
    try:
        result = (engine.compute(guide.spec, items, budgets, earlier) if guide
                  else {"results": [], "totals": {}})
    except PlanInputError as exc:
        result, error = {"results": [], "totals": {}}, exc.args[0]
    groups = []
    for sub in context["subprogrammes"]:
        rows = [{"result": r, "application": by_id[str(r["id"])]}
                for r in result["results"] if r["subprogramme"] == sub.key]
        rows.sort(key=lambda r: (r["result"]["rank"] is None, r["result"]["rank"] or 0))
        groups.append({"spec": sub, "rows": rows, "budget": budgets.get(sub.key),
                       "total": result["totals"].get(sub.key, 0),
                       "total_wan": to_wan(result["totals"].get(sub.key, 0))})
    context.update(groups=groups, error=error, budgets=budgets,
                   grand_total=to_wan(sum(result["totals"].values())))
    template = ("web/funding/partials/whatif_result.html" if request.htmx
                else "web/funding/whatif.html")
    return render(request, template, context)
