"""The audit trail, for discipline inspection (纪检/审计) and administrators: read, never edit."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from qualityfund.core.common.models import AuditRecord


@login_required
def audit_trail(request):
    if not request.user.has_perm("common.view_auditrecord"):
        raise PermissionDenied("仅纪检/审计人员和系统管理员可查看审计记录")
    records = AuditRecord.objects.select_related("actor")
    filters = {
        "action": request.GET.get("action", "").strip(),
        "object_type": request.GET.get("object_type", "").strip(),
        "object_id": request.GET.get("object_id", "").strip(),
        "actor": request.GET.get("actor", "").strip(),
    }
    if filters["action"]:
        records = records.filter(action__startswith=filters["action"])
    if filters["object_type"]:
        records = records.filter(object_type=filters["object_type"])
    if filters["object_id"]:
        records = records.filter(object_id=filters["object_id"])
    if filters["actor"]:
        records = records.filter(actor__username=filters["actor"])
    page = Paginator(records, 50).get_page(request.GET.get("page"))
    return render(request, "web/audit_trail.html", {
        "page": page, "filters": filters,
        "object_types": AuditRecord.objects.order_by().values_list(
            "object_type", flat=True).distinct(),
    })
