"""The officer's actions: each a POST that calls one service function."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from qualityfund.core.common.errors import RuleViolation
from qualityfund.core.review import services
from qualityfund.core.review.services import ItemRequest

from .applications import get_application
from .review import staff_context


def _done(request, pk, message):
    messages.success(request, message)
    return redirect("web:review-application", pk=pk)


def _refused(request, application, exc, posted=None):
    """Show the page again with the officer's input and the rule that refused it."""
    messages.error(request, exc.message)
    application.refresh_from_db()
    return render(request, "web/review/detail.html",
                  staff_context(request, application, posted or {}), status=400)


@login_required
@require_POST
def accept(request, pk):
    application = get_application(request, pk, "review.accept_application")
    try:
        services.accept(application, by=request.user, note=request.POST.get("note", ""))
    except RuleViolation as exc:
        return _refused(request, application, exc)
    return _done(request, pk, "已受理，申请单位已收到通知")


@login_required
@require_POST
def refuse(request, pk):
    application = get_application(request, pk, "review.refuse_application")
    try:
        services.refuse(application, by=request.user, reason=request.POST.get("reason", ""),
                        note=request.POST.get("note", ""))
    except RuleViolation as exc:
        return _refused(request, application, exc, {"refuse": request.POST})
    return _done(request, pk, "已作出不予受理决定，申请单位已收到通知")


@login_required
@require_POST
def supplement(request, pk):
    application = get_application(request, pk, "review.request_supplementation")
    keys = request.POST.getlist("item")
    items = [ItemRequest(key, request.POST.get(f"reason:{key}", "")) for key in keys]
    try:
        workdays = int(request.POST.get("workdays") or services.DEFAULT_WORKDAYS)
    except ValueError:
        workdays = -1
    try:
        request_ = services.request_supplementation(
            application, by=request.user, items=items, workdays=workdays,
            note=request.POST.get("note", ""))
    except RuleViolation as exc:
        return _refused(request, application, exc, {"supplement": request.POST,
                                                     "items": set(keys)})
    deadline = timezone.localtime(request_.deadline)
    return _done(request, pk, f"已发出补正通知，补正截止时间 {deadline:%Y-%m-%d %H:%M}")


@login_required
@require_POST
def recheck(request, pk):
    application = get_application(request, pk, "review.recheck_application")
    try:
        services.recheck(application, by=request.user, note=request.POST.get("note", ""))
    except RuleViolation as exc:
        return _refused(request, application, exc)
    return _done(request, pk, "复审通过")


@login_required
@require_POST
def verify(request, pk):
    application = get_application(request, pk, "review.verify_application")
    verdict = request.POST.get("recommended")
    try:
        if verdict not in ("yes", "no"):
            raise RuleViolation("请选择核查结论：推荐或不予推荐", field="recommended")
        services.verify(application, by=request.user, recommended=verdict == "yes",
                        note=request.POST.get("note", ""))
    except RuleViolation as exc:
        return _refused(request, application, exc, {"verify": request.POST})
    return _done(request, pk, "核查已完成")
