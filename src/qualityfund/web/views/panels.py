"""Panels for the officers who manage them and for the chair: create, draw, replay, ranking,
finalise, report. Experts' own pages are in ``panels_expert``.

A panel the user may not see answers 404, as one that does not exist.
"""

from datetime import datetime
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from qualityfund.core.applications.models import Application
from qualityfund.core.applications.states import State
from qualityfund.core.common import audit
from qualityfund.core.common.errors import RuleViolation
from qualityfund.core.guides.models import Guide
from qualityfund.core.panels import replay, report, results, services
from qualityfund.core.panels.models import DEFAULT_EXPERTISE, EXPERTISE, Expert, Panel

from . import panels_expert


def get_panel(request, pk, permission="panels.view_panel") -> Panel:
    panel = get_object_or_404(Panel.objects.select_related("guide", "chair", "drawn_by"), pk=pk)
    if not request.user.has_perm("panels.view_panel", panel):
        raise Http404("没有找到该专家组")
    if not request.user.has_perm(permission, panel):
        raise PermissionDenied("无权执行此操作")
    return panel


@login_required
def panel_list(request):
    user = request.user
    if user.role == "expert":
        return panels_expert.my_panels(request)
    if not user.has_perm("panels.view_pool") and not user.is_bureau_staff:
        raise PermissionDenied("仅评审专家和局内工作人员可查看专家组")
    panels = Panel.objects.visible_to(user).select_related("guide", "chair").annotate(
        n_applications=Count("entries", distinct=True))
    return render(request, "web/panels/list.html", {
        "panels": panels, "can_manage": user.has_perm("panels.manage_panel"),
        "now": timezone.now()})


def _waiting() -> dict[tuple[int, str], list[Application]]:
    """(guide id, sub-programme) → rechecked applications not yet on a panel, in one query."""
    waiting: dict[tuple[int, str], list[Application]] = {}
    for application in (Application.objects.filter(state=State.RECHECKED,
                                                    panel_entry__isnull=True)
                        .select_related("organisation").order_by("number", "id")):
        waiting.setdefault((application.guide_id, application.subprogramme), []).append(
            application)
    return waiting


@login_required
def panel_new(request):
    """A panel for one round (批次) of a sub-programme: the officer picks its applications
    (all that wait, unless some are left for a later round) and names the round."""
    if not request.user.has_perm("panels.manage_panel"):
        raise PermissionDenied("仅经办人员和管理员可组建专家组")
    guides = list(Guide.objects.all())
    waiting = _waiting()
    choices = [{"guide": g, "sub": s, "key": f"{g.pk}:{s.key}",
                "applications": waiting.get((g.pk, s.key), []),
                "default_expertise": DEFAULT_EXPERTISE.get(s.key, [])}
               for g in guides for s in g.spec.subprogrammes if s.review.method == "panel"]
    form = {"size": "7", "expertise": [], "choice": "", "name": "", "round": "",
            "applications": None}
    if request.method == "POST":
        form = {"size": request.POST.get("size", ""), "choice": request.POST.get("choice", ""),
                "expertise": request.POST.getlist("expertise"),
                "name": request.POST.get("name", "").strip(),
                "round": request.POST.get("round", "").strip()[:20],
                "applications": request.POST.getlist("applications")}
        chosen = next((c for c in choices if c["key"] == form["choice"]), None)
        try:
            if chosen is None:
                raise RuleViolation("请选择“申报指南及子项目”", field="choice")
            if not form["size"].isdigit():
                raise RuleViolation("“专家组人数”应为整数", field="size")
            if not form["applications"]:
                raise RuleViolation("请至少选择一个纳入本专家组的申请", field="applications")
            ids = {int(pk) for pk in form["applications"] if pk.isdigit()}
            picked = list(Application.objects.filter(pk__in=ids))
            if len(picked) != len(form["applications"]):
                raise RuleViolation("所选申请须为本子项目已复审、且尚未分配专家组的申请",
                                    field="applications")
            name = form["name"] or (f"{chosen['guide'].year}年{chosen['sub'].short_name}专家组"
                                    f"（{form['round']}）" if form["round"] else "")
            panel = services.create_panel(
                guide=chosen["guide"], subprogramme=chosen["sub"].key, size=int(form["size"]),
                expertise=form["expertise"], name=name, by=request.user,
                applications=picked)
        except RuleViolation as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"已组建“{panel.name}”，共 {panel.entries.count()} 个申请")
            return redirect("web:panel-detail", pk=panel.pk)
    return render(request, "web/panels/new.html", {
        "choices": choices, "expertise": EXPERTISE, "form": form})


def _excluded_rows(panel):
    """The set-aside experts with the reason and, for a conflict, the organisation concerned."""
    names = {a["code"]: a["name"] for a in panel.applicant_codes}
    rows = []
    for candidate in panel.pool_snapshot:
        reason = panel.excluded.get(candidate["id"])
        if reason is None:
            continue
        concerned = [names[c] for c in [candidate["employer_code"], *candidate["related_codes"]]
                     if c in names]
        rows.append({"name": candidate["name"], "employer": candidate["employer_name"],
                     "reason": reason, "concerned": "、".join(dict.fromkeys(concerned))})
    rows.sort(key=lambda r: ("回避" not in r["reason"], r["name"]))
    return rows


@login_required
def panel_detail(request, pk):
    panel = get_panel(request, pk)
    if request.user.role == "expert":
        return panels_expert.assignments(request, panel)
    members = list(panel.members.select_related("expert").order_by("seat", "status"))
    return render(request, "web/panels/detail.html", {
        "panel": panel, "sub": panel.spec, "members": members,
        "entries": panel.entries.select_related("application__organisation"),
        "excluded": _excluded_rows(panel),
        "steps": [{**step, "at": datetime.fromisoformat(step["at"])}
                  for step in panel.replacements],
        "can_manage": request.user.has_perm("panels.manage_panel", panel),
        "can_results": request.user.has_perm("panels.view_results", panel),
        "scoring_workdays": services.SCORING_WORKDAYS,
        "max_workdays": services.MAX_SCORING_WORKDAYS,
        "expertise": EXPERTISE,
    })


@login_required
@require_POST
def panel_draw(request, pk):
    """The officer draws; the seed is the server's (a posted ``seed`` is never read)."""
    panel = get_panel(request, pk, "panels.manage_panel")
    raw = request.POST.get("workdays", "").strip() or str(services.SCORING_WORKDAYS)
    try:
        if not raw.isdigit():
            raise RuleViolation("“评分期限”应为整数（工作日）", field="workdays")
        panel = services.draw(panel, by=request.user, workdays=int(raw))
        deadline = timezone.localtime(panel.scoring_deadline)
        messages.success(request, f"已随机抽取 {panel.size} 名专家，评分截止时间 "
                                  f"{deadline:%Y-%m-%d %H:%M}")
    except RuleViolation as exc:
        messages.error(request, exc.message)
    return redirect("web:panel-detail", pk=pk)


@login_required
def panel_replay(request, pk):
    """Re-run the draw from the record alone (seed, pool snapshot, applicants, replacements)."""
    panel = get_panel(request, pk)
    if request.user.role == "expert":
        raise PermissionDenied("复核抽取由经办人员或纪检审计人员进行")
    try:
        replayed = replay.replay(panel)
    except RuleViolation as exc:
        messages.error(request, exc.message)
        return redirect("web:panel-detail", pk=pk)
    names = {c["id"]: c["name"] for step in panel.replacements if step.get("kind") == "fill"
             for c in step["pool"]}
    names.update({c["id"]: c["name"] for c in panel.pool_snapshot})
    return render(request, "web/panels/replay.html", {
        "panel": panel, "replay": replayed,
        "replayed": [names.get(m, m) for m in replayed.members],
        "recorded": [names.get(m, m) for m in panel.drawn_members]})


@login_required
@require_POST
def panel_chair(request, pk):
    panel = get_panel(request, pk, "panels.manage_panel")
    expert = get_object_or_404(Expert, pk=request.POST.get("expert") or 0)
    try:
        services.appoint_chair(panel, expert, by=request.user)
        messages.success(request, f"已指定{expert.name}为组长")
    except RuleViolation as exc:
        messages.error(request, exc.message)
    return redirect("web:panel-detail", pk=pk)


def _hidden_for(user, panel) -> frozenset:
    """Applications of the panel a conflicted viewer must not see (none for bureau staff)."""
    if user.is_bureau_staff:
        return frozenset()
    return frozenset(panel.entries.filter(
        application__expert_conflicts__expert__user=user).values_list("application_id",
                                                                       flat=True))


@login_required
def panel_ranking(request, pk):
    panel = get_panel(request, pk, "panels.view_results")
    outcome = results.compute(panel, hide_applications=_hidden_for(request.user, panel))
    context = report.report_context(panel, outcome)
    sheets = [(row, member, row.sheets[member.pk]) for row in outcome.rows
              for member in outcome.members if member.pk in row.sheets]
    return render(request, "web/panels/ranking.html", {
        **context, "is_chair": request.user.has_perm("panels.finalise_panel", panel),
        "reopenable": sheets if panel.status == Panel.Status.DRAWN else [],
    })


@login_required
@require_POST
def panel_finalise(request, pk):
    panel = get_panel(request, pk, "panels.finalise_panel")
    try:
        services.finalise(panel, by=request.user)
        messages.success(request, "评审结果已定稿，各申请已进入“已评审”")
    except RuleViolation as exc:
        messages.error(request, exc.message)
    return redirect("web:panel-ranking", pk=pk)


@login_required
@require_safe
def panel_report(request, pk, fmt):
    panel = get_panel(request, pk, "panels.view_results")
    if _hidden_for(request.user, panel):
        raise PermissionDenied("您对本组部分申请须回避，不能下载完整评审报告")
    if fmt == "pdf":
        content, kind = report.render_pdf(panel), "application/pdf"
    elif fmt == "xlsx":
        content = report.render_xlsx(panel)
        kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        raise Http404("没有该格式")
    response = HttpResponse(content, content_type=kind)
    filename = f"{panel.name}-评审结果报告.{fmt}"
    audit.access(request, "download" if fmt == "pdf" else "export", panel, file=filename)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
