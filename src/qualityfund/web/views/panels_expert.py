"""The expert's pages: the reviews waiting (their landing page), 回避 (declare or clear), the
score sheet on the guide's criteria with autosave, confirm, the materials of an assigned
application; and the chair's return of a sheet.

An application the expert is not assigned to, or has a conflict on, answers 404 on every
URL: nothing of it is revealed. Until the expert has declared no conflict the sheet is shown
locked, and neither its saving nor the materials are served.
"""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from qualityfund.core.applications.models import Application
from qualityfund.core.common import audit
from qualityfund.core.common.downloads import file_download
from qualityfund.core.common.errors import RuleViolation
from qualityfund.core.panels import services
from qualityfund.core.panels.models import Panel, PanelApplication, PanelMember, ScoreSheet
from qualityfund.core.panels.queries import entries_for
from qualityfund.domain.scoring import BANDS, FACTORS, KIND_NAMES, TIER_NAMES, Problem
from qualityfund.domain.workdays import workdays_between


def _deadline(panel) -> dict | None:
    """The panel's scoring deadline, and how many working days are left before it."""
    if panel.scoring_deadline is None:
        return None
    at = timezone.localtime(panel.scoring_deadline)
    return {"at": at, "overdue": timezone.now() > at,
            "workdays_left": workdays_between(timezone.localdate(), at.date())}


def my_panels(request):
    """The expert's landing page: every review waiting, panel by panel, with its deadline;
    then the panels already finalised. Three queries whatever the number of panels."""
    memberships = list(PanelMember.objects.filter(
        expert__user=request.user, status=PanelMember.Status.ACTIVE).select_related(
        "panel__guide", "panel__chair").order_by("panel__scoring_deadline", "panel_id"))
    scoring = [m for m in memberships if m.panel.status == Panel.Status.DRAWN]
    entries: dict[int, list] = {}
    for entry in PanelApplication.objects.filter(
            panel_id__in=[m.panel_id for m in scoring]).exclude(
            application__expert_conflicts__expert__user=request.user).select_related(
            "application__organisation"):
        entries.setdefault(entry.panel_id, []).append(entry)
    sheets = {(s.member_id, s.application_id): s for s in ScoreSheet.objects.filter(
        member__in=scoring).exclude(status=ScoreSheet.Status.VOID)}
    waiting = []
    for member in scoring:
        rows = [{"entry": e, "sheet": sheets.get((member.pk, e.application_id))}
                for e in entries.get(member.panel_id, [])]
        done = sum(1 for r in rows if r["sheet"] and r["sheet"].status == "confirmed")
        waiting.append({"member": member, "panel": member.panel, "rows": rows, "done": done,
                        "deadline": _deadline(member.panel)})
    return render(request, "web/panels/my_panels.html", {
        "waiting": waiting, "to_do": sum(len(w["rows"]) - w["done"] for w in waiting),
        "finished": [m for m in memberships if m.panel.status == Panel.Status.FINALISED]})


def assignments(request, panel):
    """The expert's list: the applications they may see, with their own sheet's state."""
    member = _member(panel, request.user)
    entries = list(entries_for(request.user, panel))
    sheets = {s.application_id: s for s in ScoreSheet.objects.filter(member=member)}
    rows = [{"entry": e, "sheet": sheets.get(e.application_id)} for e in entries]
    return render(request, "web/panels/assignments.html", {
        "panel": panel, "member": member, "rows": rows, "deadline": _deadline(panel),
        "confirmed": sum(1 for r in rows if r["sheet"] and r["sheet"].status == "confirmed"),
        "is_chair": request.user.has_perm("panels.view_results", panel) and panel.chair_id,
    })


def _member(panel, user) -> PanelMember:
    return panel.members.get(expert__user=user, status=PanelMember.Status.ACTIVE)


def get_assigned(request, pk, app_pk) -> tuple[Panel, Application]:
    """The panel and one of its applications, or 404 unless the user reviews it unconflicted."""
    application = get_object_or_404(
        Application.objects.select_related("guide", "organisation", "panel_entry__panel"),
        pk=app_pk, panel_entry__panel_id=pk)
    if not request.user.has_perm("panels.review_application", application):
        raise Http404("没有找到该申请")
    return application.panel_entry.panel, application


@login_required
@require_POST
def panel_clear(request, pk):
    panel = get_object_or_404(Panel, pk=pk)
    if not request.user.has_perm("panels.view_panel", panel) or request.user.role != "expert":
        raise Http404("没有找到该专家组")
    try:
        services.clear_conflicts(panel, by=request.user)
        messages.success(request, "已确认回避情况，可以开始评分")
    except RuleViolation as exc:
        messages.error(request, exc.message)
    return redirect("web:panel-detail", pk=pk)


def _band(criterion, value):
    """The score band a typed score falls in, to show beside it."""
    try:
        return criterion.band(Decimal(value)) if value != "" else None
    except InvalidOperation:
        return None


def _sheet_context(panel, application, sheet, problems=(), *, member):
    spec = panel.sheet_spec
    sheet = sheet or ScoreSheet(panel=panel, application=application)
    by_field = {}
    for problem in problems:
        by_field.setdefault(problem.field, []).append(problem.message)
    criteria = []
    for c in spec.criteria:
        items = [{"item": i, "value": sheet.scores.get(i.key, ""), "errors": by_field.get(i.key),
                  "kind": KIND_NAMES[i.kind], "factors": FACTORS[i.kind],
                  "points": spec.item_points(c)} for i in c.items]
        value = sheet.scores.get(c.key, "")
        criteria.append({
            "c": c, "share": spec.share(c), "value": value, "band": _band(c, value),
            "comment": sheet.comments.get(c.key, ""), "errors": by_field.get(c.key),
            "comment_errors": by_field.get(f"comment-{c.key}"), "items": items})
    cleared = member.cleared_at is not None
    return {
        "panel": panel, "application": application, "spec": spec, "sheet": sheet,
        "criteria": criteria, "bands": BANDS, "tiers": TIER_NAMES if spec.tiers else {},
        "template": panel.guide.spec.template(spec.template_key),
        "cleared": cleared, "deadline": _deadline(panel),
        "locked": not cleared or sheet.status == ScoreSheet.Status.CONFIRMED,
        "errors": by_field, "problems": problems,
        "files": application.material_files.current().order_by("material_key", "uploaded_at")
        if cleared else [],
    }


@login_required
def sheet(request, pk, app_pk):
    panel, application = get_assigned(request, pk, app_pk)
    return render(request, "web/panels/sheet.html", _sheet_context(
        panel, application, services.sheet_of(application, request.user),
        member=_member(panel, request.user)))


def _values(post, spec) -> tuple[dict, list[Problem]]:
    """The sheet's inputs as service values, and the problems of typing (a non-integer sum)."""
    problems = []
    recommendation = {"yes": True, "no": False}.get(post.get("recommendation", ""))
    values = {
        "scores": {k: post[f"score-{k}"] for k in spec.score_keys if f"score-{k}" in post},
        "comments": {c.key: post[f"comment-{c.key}"] for c in spec.criteria
                     if f"comment-{c.key}" in post},
        "recommendation": recommendation,
        "site_visit": post.get("site_visit", ""),
    }
    if spec.tiers:
        tier = post.get("tier", "")
        values["tier"] = int(tier) if tier.isdigit() else None
    if spec.amount_cap is not None:
        raw = post.get("amount", "").replace(",", "").strip()
        if raw and not raw.isdigit():
            problems.append(Problem("amount", "“建议资助金额”应为整数（元）"))
        values["amount"] = int(raw) if raw.isdigit() else None
    return values, problems


@login_required
@require_POST
def sheet_save(request, pk, app_pk):
    """Autosave (htmx on every change): keeps every valid value, answers the status panel."""
    panel, application = get_assigned(request, pk, app_pk)
    values, problems = _values(request.POST, panel.sheet_spec)
    saved_at = None
    try:
        saved, more = services.save_sheet(application, by=request.user, values=values)
    except RuleViolation as exc:
        problems = [*problems, Problem(exc.field or "sheet", exc.message)]
        saved = services.sheet_of(application, request.user)
    else:
        problems += more
        saved_at = timezone.localtime()
    context = {**_sheet_context(panel, application, saved, problems,
                                member=_member(panel, request.user)), "saved_at": saved_at}
    if request.htmx:
        return render(request, "web/panels/partials/sheet_status.html", context)
    if not problems:
        messages.success(request, "评分表已保存")
    return render(request, "web/panels/sheet.html", context, status=400 if problems else 200)


@login_required
@require_POST
def sheet_confirm(request, pk, app_pk):
    panel, application = get_assigned(request, pk, app_pk)
    values, problems = _values(request.POST, panel.sheet_spec)
    try:
        if not problems:
            services.save_sheet(application, by=request.user, values=values)
        sheet = services.confirm_sheet(application, by=request.user) if not problems else None
    except RuleViolation as exc:
        problems = exc.problems or [Problem(exc.field or "sheet", exc.message)]
        sheet = None
    if sheet is None:
        messages.error(request, "评分表尚不能确认，请按提示补充或更正")
        return render(request, "web/panels/sheet.html", _sheet_context(
            panel, application, services.sheet_of(application, request.user), problems,
            member=_member(panel, request.user)), status=400)
    messages.success(request, f"已确认评分表：{application.number}，总分 {sheet.total}")
    return redirect("web:panel-detail", pk=pk)


@login_required
@require_POST
def conflict(request, pk, app_pk):
    _, application = get_assigned(request, pk, app_pk)
    try:
        new = services.declare_conflict(application, by=request.user,
                                        reason=request.POST.get("reason", ""))
    except RuleViolation as exc:
        messages.error(request, exc.message)
        return redirect("web:panel-detail", pk=pk)
    messages.success(request, "已记录您的回避申报，您已退出本专家组"
                     + ("，系统已随机抽取替换专家" if new else "；暂无可替换专家，已通知经办人员"))
    return redirect("web:panel-list")


@login_required
@require_safe
def material_download(request, pk, app_pk, file_pk):
    panel, application = get_assigned(request, pk, app_pk)
    if _member(panel, request.user).cleared_at is None:
        raise PermissionDenied("请先在专家组页面确认回避情况，再查阅申报材料")
    material_file = get_object_or_404(application.material_files.current(), pk=file_pk)
    audit.access(request, "download", material_file, file=material_file.original_name)
    return file_download(material_file.file, name=material_file.original_name,
                         kind=material_file.file_type)


@login_required
@require_POST
def sheet_reopen(request, pk):
    """The chair returns a confirmed sheet to its expert, giving a reason (audited)."""
    sheet = get_object_or_404(ScoreSheet.objects.visible_to(request.user).filter(panel_id=pk),
                              pk=request.POST.get("sheet") or 0)
    try:
        services.reopen_sheet(sheet, by=request.user, reason=request.POST.get("reason", ""))
        messages.success(request, "已退回该评分表，专家可修改后重新确认")
    except RuleViolation as exc:
        messages.error(request, exc.message)
    return redirect("web:panel-ranking", pk=pk)
