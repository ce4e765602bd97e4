"""The expert pool (专家库): list, Excel import and export, initial passwords, availability."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from qualityfund.core.common import audit
from qualityfund.core.common.errors import RuleViolation
from qualityfund.core.panels import pool
from qualityfund.core.panels.models import EXPERTISE, Expert

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require(request, permission):
    if not request.user.has_perm(permission):
        raise PermissionDenied("仅系统管理员可维护专家库")


@login_required
def pool_list(request):
    _require(request, "panels.view_pool")
    return render(request, "web/panels/pool.html", {
        "experts": Expert.objects.select_related("user"), "expertise": EXPERTISE,
        "can_manage": request.user.has_perm("panels.manage_pool"),
        "columns": pool.COLUMNS, "problems": []})


@login_required
@require_POST
def pool_import(request):
    _require(request, "panels.manage_pool")
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "请选择要导入的专家库 Excel 文件（.xlsx）")
        return redirect("web:panel-pool")
    try:
        result = pool.import_experts(upload.read(), by=request.user)
    except RuleViolation as exc:
        return render(request, "web/panels/pool.html", {
            "experts": Expert.objects.select_related("user"), "expertise": EXPERTISE,
            "can_manage": True, "columns": pool.COLUMNS, "problems": exc.problems},
            status=400)
    messages.success(request, f"专家库导入完成：新增 {len(result.created)} 人，"
                              f"更新 {len(result.updated)} 人。新增专家须发放初始密码后方可登录。")
    return redirect("web:panel-pool")


@login_required
@require_safe
def pool_export(request):
    _require(request, "panels.view_pool")
    audit.access(request, "export", file="专家库.xlsx")
    response = HttpResponse(pool.export_workbook(Expert.objects.select_related("user")),
                            content_type=XLSX)
    response["Content-Disposition"] = "attachment; filename*=UTF-8''%E4%B8%93%E5%AE%B6%E5%BA%93.xlsx"
    return response


@login_required
@require_POST
def expert_password(request, pk):
    _require(request, "panels.manage_pool")
    expert = get_object_or_404(Expert.objects.select_related("user"), pk=pk)
    password = pool.issue_password(expert, by=request.user)
    messages.warning(request, f"{expert.name}（登录名 {expert.user.username}）的初始密码："
                              f"{password}　此密码只显示这一次，请当面或经安全渠道告知专家。")
    return redirect("web:panel-pool")


@login_required
@require_POST
def expert_availability(request, pk):
    _require(request, "panels.manage_pool")
    expert = get_object_or_404(Expert, pk=pk)
    pool.set_availability(expert, request.POST.get("available") == "1", by=request.user)
    return redirect("web:panel-pool")
