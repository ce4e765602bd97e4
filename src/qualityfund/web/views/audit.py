"""The audit trail, for discipline inspection (纪检/审计) and administrators: read, never edit;
whether its chain verifies, and a request to verify it again."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from qualityfund.core.common.models import AuditRecord, AuditVerification
from qualityfund.core.common.services import request_verification


def _chain_status() -> dict:
    """The last finished verification and whether another is under way: one query, never a
    re-hash of the trail on a page view."""
    recent = list(AuditVerification.objects.select_related("requested_by")[:10])
    done = next((v for v in recent if v.finished_at), None)
    pending = next((v for v in recent if not v.finished_at), None)
    return {"verified": done, "pending": pending}


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
        "page": page, "filters": filters, "chain": _chain_status(),
        "object_types": AuditRecord.objects.exclude(object_type="").order_by().values_list(
            "object_type", flat=True).distinct(),
    })


@login_required
@require_POST
def verify_chain(request):
    request_verification(request.user)
    messages.success(request, "已开始在后台核验审计链，完成后本页显示结果")
    return redirect("web:audit-trail")
