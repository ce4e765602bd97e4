"""Bureau pages after review: overview, 不予资助情形查询, duplicate pairs, imported lists.

Every page is for bureau staff: a visitor is sent to the log-in page, anyone else signed in
gets 403. Actions call the funding services and show their Chinese message when a rule
refuses."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from qualityfund.core.applications.models import Application
from qualityfund.core.applications.states import State
from qualityfund.core.common import audit
from qualityfund.core.common.errors import RuleViolation
from qualityfund.core.common.tasks import enqueue
from qualityfund.core.funding import exports, history, queries, services, tasks
from qualityfund.core.funding.models import (
    Decision,
    DisqualifierCheck,
    EarlierProject,
    FundingPlan,
    ListImport,
    ListKind,
)
from qualityfund.core.funding.services import clearance_problems
from qualityfund.core.guides.models import Guide

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"



def bureau_required(view):
    """Bureau staff only. A signed-in applicant gets 403: sent to the log-in page, which
    sends a signed-in user on to ``next``, they would go round in a loop."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not request.user.has_perm("funding.view"):
            raise PermissionDenied("仅局内工作人员可访问")
        return view(request, *args, **kwargs)

    return wrapper


def xlsx_response(request, content: bytes, filename: str, obj=None) -> HttpResponse:
    """An export, recorded in the audit trail with the filters it was made with."""
    audit.access(request, "export", obj, file=filename,
                 filters={k: v for k, v in request.GET.items() if k != "export"})
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(filename)}"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


def back(request) -> str:
    """The page the form was on, when it is one of ours."""
    target = request.POST.get("next") or request.META.get("HTTP_REFERER") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("web:funding-home")


def acting(view):
    """A POST action: rule refusals become a message, the user goes back where they were."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except RuleViolation as exc:
            messages.error(request, exc.message)
            return redirect(back(request))

    return require_POST(bureau_required(wrapper))


def page_context(request, params=None, **extra) -> dict:
    filters = queries.Filters.from_request(params if params is not None else request.GET)
    return {"filters": filters, "guides": Guide.objects.all(),
            "subprogrammes": filters.guide.spec.subprogrammes if filters.guide else [],
            **extra}


@bureau_required
def home(request):
    context = page_context(request)
    guide = context["filters"].guide
    counts = {}
    if guide:
        for state in Application.objects.filter(guide=guide, state__in=queries.AFTER_REVIEW
                                                ).values_list("state", flat=True):
            counts[state] = counts.get(state, 0) + 1
    context["counts"] = [(State(s).label, counts.get(s, 0)) for s in queries.AFTER_REVIEW]
    context["plans"] = list(queries.plans(context["filters"]))
    return render(request, "web/funding/home.html", context)


@bureau_required
def check_list(request):
    context = page_context(request)
    filters = context["filters"]
    if request.GET.get("export") == "xlsx":
        return xlsx_response(request, exports.applications_xlsx(filters), "评审结果与查询情况.xlsx")
    if request.GET.get("export") == "checks":
        return xlsx_response(request, exports.checks_xlsx(filters), "不予资助情形查询.xlsx")
    rows = []
    for application in queries.applications_after_review(filters):
        checks = application.current_checks
        rows.append({
            "application": application, "checks": checks,
            "pending": [c for c in checks if c.decision == Decision.PENDING and c.outcome == "hit"],
            "judgement": [c for c in checks if c.decision == Decision.PENDING
                          and c.outcome == "judgement"],
            "unavailable": [c for c in checks if c.outcome == "unavailable"],
            "confirmed": [c for c in checks if c.decision == Decision.CONFIRMED]})
    context.update(rows=rows, states=[(s, State(s).label) for s in queries.AFTER_REVIEW],
                   lists=queries.list_states())
    return render(request, "web/funding/checks.html", context)


@acting
def run_year_checks(request):
    if not request.user.has_perm("funding.run_checks"):
        raise PermissionDenied("仅受理/初审人员可进行不予资助情形查询")
    guide = get_object_or_404(Guide, pk=request.POST.get("guide"))
    enqueue(tasks.run_year_checks, guide.pk, request.user.pk)
    messages.success(request, "已开始查询：本年度全部申报项目查重及各名单比对，完成后刷新本页查看结果")
    return redirect(f"/funding/checks/?guide={guide.pk}")


@bureau_required
def application_checks(request, pk):
    application = get_object_or_404(Application.objects.select_related(
        "organisation", "guide"), pk=pk)
    checks = list(application.disqualifier_checks.select_related("ran_by", "decided_by"))
    current = [c for c in checks if not c.superseded]
    return render(request, "web/funding/application_checks.html", {
        "application": application, "checks": current,
        "history": [c for c in checks if c.superseded],
        "pairs": list(queries.pairs_of(application)),
        "problems": clearance_problems(application, checks)
        if application.state == State.REVIEWED else [],
        "trail": audit.trail(application)[:30],
    })


@acting
def run_checks(request, pk):
    application = get_object_or_404(Application, pk=pk)
    services.run_checks(application, by=request.user)
    messages.success(request, "已完成不予资助情形查询")
    return redirect("web:funding-application-checks", pk=pk)


@acting
def decide_check(request, pk):
    check = get_object_or_404(DisqualifierCheck, pk=pk)
    confirm = request.POST.get("decision") == "confirm"
    services.decide_check(check, confirm=confirm, reason=request.POST.get("reason", ""),
                          by=request.user)
    messages.success(request, "已确认不予资助，理由已告知申报单位" if confirm else "已排除该疑似情形")
    return redirect("web:funding-application-checks", pk=check.application_id)


@acting
def clear_application(request, pk):
    application = get_object_or_404(Application, pk=pk)
    services.clear_application(application, by=request.user)
    messages.success(request, f"“{application.project_name}”不予资助情形查询通过")
    return redirect(back(request))


@bureau_required
def lists(request):
    return render(request, "web/funding/lists.html", {
        "lists": queries.list_states(),
        "imports": ListImport.objects.select_related("imported_by", "reviewed_by")[:50],
        "kinds": ListKind.choices,
        "earlier_count": EarlierProject.objects.count(),
        "platform_count": history.funded_count(),
        "can_import": request.user.has_perm("funding.import_list"),
        "can_review": request.user.has_perm("funding.review_list"),
    })


@acting
def import_list(request):
    upload = request.FILES.get("file")
    if upload is None:
        raise RuleViolation("请选择要导入的CSV或Excel文件", field="file")
    batch = services.import_list(request.POST.get("kind", ""), upload,
                                 source=request.POST.get("source", ""), by=request.user)
    messages.success(request, f"已导入{batch.get_kind_display()}{batch.rows}条，"
                              "待另一名经办人员复核后生效")
    return redirect("web:funding-lists")


@acting
def review_list(request, pk):
    batch = get_object_or_404(ListImport, pk=pk)
    approve = request.POST.get("decision") == "approve"
    services.review_list(batch, approve=approve, note=request.POST.get("note", ""),
                         by=request.user)
    messages.success(request, f"{batch.get_kind_display()}已复核生效" if approve
                     else f"{batch.get_kind_display()}已退回")
    return redirect("web:funding-lists")


@acting
def import_earlier(request):
    upload = request.FILES.get("file")
    if upload is None:
        raise RuleViolation("请选择要导入的CSV或Excel文件", field="file")
    count = services.import_earlier(upload, by=request.user)
    messages.success(request, f"已导入往年已资助项目{count}个")
    return redirect("web:funding-lists")


def plan_or_404(pk) -> FundingPlan:
    return get_object_or_404(FundingPlan.objects.select_related(
        "guide", "drafted_by", "decided_by", "noticed_by", "finalised_by"), pk=pk)
