"""社会公示 for everyone, no log-in: the funded projects and the objection form (limited per
client address)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from qualityfund.core.common.errors import RuleViolation
from qualityfund.core.common.uploads import UploadLimit, upload_limit
from qualityfund.core.funding import queries, services
from qualityfund.core.funding.models import Objection
from qualityfund.core.funding.services.notice import SCAN_MAX_BYTES
from qualityfund.core.guides.models import Guide
from qualityfund.domain.money import to_wan

from ..ratelimit import limit_posts

SCAN_LIMIT = UploadLimit(SCAN_MAX_BYTES, "加盖公章的异议书扫描件", "sealed_scan")


def _noticed(slug):
    guide = get_object_or_404(Guide, slug=slug)
    plans = queries.noticed_plans(guide)
    if not plans:
        raise Http404("该年度没有正在公示的拟资助方案")
    return guide, plans


def notice(request, slug):
    guide, plans = _noticed(slug)
    sections = [{
        "plan": plan, "spec": plan.spec,
        "rows": [{"item": i, "wan": to_wan(i.amount)} for i in plan.funded_items],
        "open": plan.notice_starts_at <= timezone.now() <= plan.notice_ends_at,
    } for plan in plans]
    return render(request, "web/funding/notice.html", {
        "guide": guide, "sections": sections,
        "total_wan": to_wan(sum(i.amount for p in plans for i in p.funded_items)),
    })


@limit_posts("objection")
@upload_limit(lambda request, slug: SCAN_LIMIT)
def objection(request, slug):
    guide, plans = _noticed(slug)
    by_pk = {p.pk: p for p in plans}
    items = {i.pk: i for p in plans for i in p.funded_items}
    form = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        plan_pk = request.POST.get("plan", "")
        plan = by_pk.get(int(plan_pk)) if plan_pk.isdigit() else None
        item_pk = request.POST.get("item", "")
        item = items.get(int(item_pk)) if item_pk.isdigit() else None
        if item is not None:
            plan = by_pk[item.plan_id]
        try:
            if plan is None:
                raise RuleViolation("请选择异议涉及的子项目或项目", field="plan")
            services.file_objection(
                plan, item=item,
                filer_kind=request.POST.get("filer_kind", ""),
                filer_name=request.POST.get("filer_name", ""),
                filer_id=request.POST.get("filer_id", ""), phone=request.POST.get("phone", ""),
                content=request.POST.get("content", ""),
                sealed_scan=request.FILES.get("sealed_scan"))
        except RuleViolation as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "异议已提交。我们将核实处理，并通过您留下的联系电话答复。")
            return redirect("web:funding-notice", slug=slug)
    return render(request, "web/funding/objection.html", {
        "guide": guide, "plans": plans, "items": list(items.values()), "form": form,
        "filers": Objection.Filer.choices, "scan_limit": SCAN_LIMIT,
    })
