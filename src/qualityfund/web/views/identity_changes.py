"""身份信息变更 for bureau staff: the requests waiting, and one request with what it would
change, the organisation's applications and plans it touches, and the officer's decision."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from qualityfund.core.accounts import queries
from qualityfund.core.accounts.identity import IDENTITY_FIELDS
from qualityfund.core.accounts.identity_changes import decide_identity_change
from qualityfund.core.accounts.models import IdentityChangeRequest
from qualityfund.core.common.errors import RuleViolation
from qualityfund.core.funding.models import PlanItem
from qualityfund.domain.selfcheck import names_identical

Status = IdentityChangeRequest.Status


def _require_staff(request) -> None:
    if not request.user.has_perm("accounts.view_identity_changes"):
        raise PermissionDenied("仅局内工作人员可查看身份信息变更申请")


@login_required
def change_list(request):
    _require_staff(request)
    status = request.GET.get("status", Status.PENDING)
    if status not in Status.values:
        status = ""
    return render(request, "web/review/identity_changes.html", {
        "changes": list(queries.identity_changes(status)), "status": status,
        "statuses": Status.choices,
    })


def _names_after(change: IdentityChangeRequest) -> bool:
    """指南 七（五）'s three names, as they would be once the request is approved."""
    org = change.organisation
    after = {n: change.changes[n]["to"] if n in change.changes else getattr(org, n)
             for n in ("name", "account_subject_name", "bank_account_name")}
    return names_identical(*after.values())


@login_required
def change_detail(request, pk):
    _require_staff(request)
    change = get_object_or_404(queries.identity_changes(), pk=pk)
    org = change.organisation
    decided = list(PlanItem.objects.filter(application__organisation=org,
                                           plan__decided_at__isnull=False)
                   .select_related("plan__guide", "application"))
    return render(request, "web/review/identity_change.html", {
        "change": change, "organisation": org,
        "identity_fields": IDENTITY_FIELDS, "names_ok": _names_after(change),
        "applications": list(org.applications.filter(submitted_at__isnull=False)
                             .select_related("guide").order_by("-submitted_at")),
        "decided_items": decided,
        "history": [c for c in queries.history(org) if c.pk != change.pk],
        "can_decide": (change.status == Status.PENDING
                       and request.user.has_perm("accounts.decide_identity_change", change)),
    })


@login_required
@require_POST
def decide(request, pk):
    _require_staff(request)
    change = get_object_or_404(IdentityChangeRequest, pk=pk)
    verdict = request.POST.get("decision")
    try:
        if verdict not in ("approve", "refuse"):
            raise RuleViolation("请选择批准或不予批准", field="decision")
        decide_identity_change(change, approve=verdict == "approve", by=request.user,
                               reason=request.POST.get("reason", ""))
    except RuleViolation as exc:
        messages.error(request, exc.message)
        return redirect("web:review-identity-change", pk=pk)
    messages.success(request, "已批准身份信息变更，新信息已生效" if verdict == "approve"
                     else "已不予批准，单位信息保持不变")
    return redirect("web:review-identity-changes")
