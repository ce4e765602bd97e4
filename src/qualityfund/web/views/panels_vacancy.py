"""The officer's answer to an empty seat — a conflict declared when nobody was left to replace
the expert: a recorded draw from a wider field, or the documented decision to finalise with
the members left (an odd number of at least five)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from qualityfund.core.common.errors import RuleViolation
from qualityfund.core.panels import services

from .panels import get_panel


@login_required
@require_POST
def panel_vacancy(request, pk):
    panel = get_panel(request, pk, "panels.manage_panel")
    try:
        if request.POST.get("decision") == "close":
            panel = services.close_vacancies(panel, by=request.user,
                                             reason=request.POST.get("reason", ""))
            messages.success(request, f"已记录决定：以现有 {panel.size} 名专家完成评审并定稿")
        else:
            member = services.fill_vacancy(panel, by=request.user,
                                           expertise=request.POST.getlist("expertise"))
            messages.success(request, f"已补缺抽取：第 {member.seat} 席 {member.expert.name}")
    except RuleViolation as exc:
        messages.error(request, exc.message)
    return redirect("web:panel-detail", pk=pk)
