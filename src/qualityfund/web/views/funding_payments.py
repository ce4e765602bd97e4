"""预算管理及资金拨付: batches, payment status, reconciliation with the final plans."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render

from qualityfund.core.common.errors import RuleViolation
from qualityfund.core.funding import exports, queries, services
from qualityfund.core.funding.models import DisbursementBatch, Payment, PlanItem
from qualityfund.core.guides.models import Guide
from qualityfund.domain.selfcheck import names_identical

from .funding import acting, bureau_required, page_context, xlsx_response


def _name_ok(item) -> bool:
    """指南 七（五）, on the organisation as decided (决策时快照)."""
    org = item.organisation_as_planned
    return names_identical(org.name, org.bank_account_name, org.account_subject_name)


@bureau_required
def payments(request):
    context = page_context(request)
    filters = context["filters"]
    if request.GET.get("export") == "xlsx":
        return xlsx_response(request, exports.payments_xlsx(filters), "资金拨付.xlsx")
    guide = filters.guide
    payable = list(services.payable_items(guide)) if guide else []
    context.update(
        payable=[{"item": i, "name_ok": _name_ok(i)} for i in payable],
        batches=list(DisbursementBatch.objects.filter(guide=guide).select_related("created_by"))
        if guide else [],
        reconciliation=queries.reconciliation(guide) if guide else [],
        can_pay=request.user.has_perm("funding.pay"),
        statuses=Payment.Status.choices,
    )
    return render(request, "web/funding/payments.html", context)


@acting
def create_batch(request):
    if not request.user.has_perm("funding.pay"):
        raise PermissionDenied("仅预算与资金拨付人员可创建拨付批次")
    guide = get_object_or_404(Guide, pk=request.POST.get("guide"))
    ids = [int(x) for x in request.POST.getlist("items") if x.isdigit()]
    if not ids:
        raise RuleViolation("请勾选要列入本批次的项目", field="items")
    batch = services.create_batch(guide, request.POST.get("title", ""),
                                  list(PlanItem.objects.filter(pk__in=ids)), by=request.user)
    messages.success(request, f"已创建拨付批次“{batch.title}”，并通知申报单位办理领款手续")
    return redirect("web:funding-batch", pk=batch.pk)


@bureau_required
def batch_detail(request, pk):
    batch = get_object_or_404(DisbursementBatch.objects.select_related("guide", "created_by"),
                              pk=pk)
    filters = queries.Filters(guide=batch.guide, state=request.GET.get("state", ""))
    if request.GET.get("export") == "xlsx":
        return xlsx_response(request, exports.payments_xlsx(filters, batch),
                             f"{batch.title}.xlsx", batch)
    rows = list(queries.payments(filters, batch))
    return render(request, "web/funding/batch.html", {
        "batch": batch, "filters": filters,
        "rows": [{"payment": p, "name_ok": _name_ok(p.item)}
                 for p in rows],
        "total": sum((p.amount for p in rows), start=0),
        "can_pay": request.user.has_perm("funding.pay"),
        "statuses": Payment.Status.choices,
    })


@acting
def mark_paid(request, pk):
    payment = get_object_or_404(Payment, pk=pk)
    services.mark_paid(payment, reference=request.POST.get("reference", ""), by=request.user)
    messages.success(request, "已登记拨付")
    return redirect("web:funding-batch", pk=payment.batch_id)


@acting
def mark_failed(request, pk):
    payment = get_object_or_404(Payment, pk=pk)
    services.mark_failed(payment, reason=request.POST.get("reason", ""), by=request.user)
    messages.success(request, "已登记拨付失败，可在修正后列入新的批次")
    return redirect("web:funding-batch", pk=payment.batch_id)
