"""The guides, readable by anyone; admins move a guide's window."""

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from qualityfund.core.common.errors import RuleViolation
from qualityfund.core.guides.models import Guide
from qualityfund.core.guides.services import set_window


def guide_list(request):
    return render(request, "web/guide_list.html", {"guides": Guide.objects.all(),
                                                   "now": timezone.now()})


def guide_detail(request, slug):
    guide = get_object_or_404(Guide, slug=slug)
    return render(request, "web/guide_detail.html", {
        "guide": guide, "spec": guide.spec, "now": timezone.now(),
        "can_change": request.user.has_perm("guides.change_guide", guide),
    })


def _parse_local(value: str, field: str) -> datetime:
    try:
        return timezone.make_aware(datetime.fromisoformat(value))
    except ValueError as exc:
        raise RuleViolation(f"{field}格式不正确，应为 年-月-日 时:分", field=field) from exc


@login_required
@require_POST
def guide_window(request, slug):
    guide = get_object_or_404(Guide, slug=slug)
    if not request.user.has_perm("guides.change_guide", guide):
        raise PermissionDenied("仅系统管理员可修改申报时间")
    try:
        set_window(guide, _parse_local(request.POST.get("opens_at", ""), "申报开始时间"),
                   _parse_local(request.POST.get("closes_at", ""), "申报截止时间"),
                   by=request.user)
        messages.success(request, "申报时间已更新")
    except RuleViolation as exc:
        messages.error(request, exc.message)
    return redirect("web:guide-detail", slug=slug)
