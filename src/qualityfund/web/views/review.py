"""Formal review pages for bureau staff: the queue and one application's staff view."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone

from qualityfund.core.applications.checks import run_checks
from qualityfund.core.applications.states import State
from qualityfund.core.common import audit
from qualityfund.core.guides.models import Guide
from qualityfund.core.review import previews, queries
from qualityfund.core.review.items import changes_since, item_choices
from qualityfund.core.review.reasons import REFUSAL_REASONS
from qualityfund.core.review.services import DEFAULT_WORKDAYS, MAX_WORKDAYS, first_reviewer_id
from qualityfund.domain.money import format_yuan, to_wan
from qualityfund.domain.workdays import calendar_known, deadline_after

from .applications import get_application

PAGE_SIZE = 25


def _require_staff(request) -> None:
    if not request.user.has_perm("review.view_queue"):
        raise PermissionDenied("仅审核人员可访问受理审查")


def _subprogrammes():
    guide = Guide.objects.order_by("-year", "is_demo").first()
    return [(s.key, s.short_name) for s in guide.spec.subprogrammes] if guide else []


@login_required
def queue(request):
    """The officer's queue: one sub-programme at a time, filtered, searched, sorted."""
    _require_staff(request)
    params = {name: request.GET.get(name, "").strip()
              for name in ("sub", "state", "q", "findings", "sort")}
    params["sort"] = params["sort"] if params["sort"] in queries.SORTS else "submitted"
    result = queries.queue(subprogramme=params["sub"], state=params["state"], q=params["q"],
                           findings=params["findings"], sort=params["sort"])
    page = Paginator(result.rows, PAGE_SIZE).get_page(request.GET.get("page"))
    subprogrammes = _subprogrammes()
    names = dict(subprogrammes)
    for application in page:
        application.sub_name = names.get(application.subprogramme, application.subprogramme)
    keep = "&".join(f"{k}={v}" for k, v in params.items() if v)
    return render(request, "web/review/queue.html", {
        "page": page, "params": params, "keep": keep,
        "subprogrammes": [(key, name, result.subprogramme_counts.get(key, 0))
                          for key, name in subprogrammes],
        "total": sum(result.subprogramme_counts.values()),
        "state_counts": [(s.value, s.label, result.state_counts.get(s.value, 0))
                         for s in queries.QUEUE_STATES if result.state_counts.get(s.value)],
        "waiting_count": sum(result.state_counts.get(s, 0) for s in queries.WAITING_STATES),
        "states": queries.QUEUE_STATES, "sorts": [(k, v[0]) for k, v in queries.SORTS.items()],
        "findings_filters": queries.FINDINGS_FILTERS, "names": names,
        "current_name": names.get(params["sub"], ""),
    })


def _material_groups(application, files):
    """Per material of the guide: its current files (with preview pages) and older ones."""
    groups = []
    for material in application.spec.materials:
        if material.generated:
            continue
        mine = [f for f in files if f.material_key == material.key]
        current = []
        for f in (f for f in mine if f.superseded_at is None):
            reason = previews.previewable(f)
            pages = []
            if reason is None and f.file_type == "pdf":
                count = previews.page_count(f)
                pages = list(range(1, min(count, previews.MAX_PREVIEW_PAGES) + 1))
            flagged = {x.get("page") for x in f.findings if x.get("status") == "fail"}
            current.append({"file": f, "not_previewable": reason, "pages": pages,
                            "flagged": flagged,
                            "problems": [x for x in f.findings if x.get("status") != "pass"],
                            "passes": [x for x in f.findings if x.get("status") == "pass"]})
        groups.append({"material": material, "current": current,
                       "older": [f for f in mine if f.superseded_at is not None]})
    return groups


def _fields(application):
    def shown(name):
        value = getattr(application, name)
        if name == "requested_amount" and value is not None:
            return f"{format_yuan(value)} 元（{to_wan(value)} 万元）"
        return value

    rows = [(str(application._meta.get_field(name).verbose_name), shown(name))
            for name in ("project_name", "summary", "implementation_district", "started_on",
                         "requested_amount", "contact_name", "contact_phone")]
    figures = [(f.label + (f"（{f.unit}）" if f.unit else ""), application.figures.get(f.key, ""))
               for f in application.spec.figures]
    return rows, figures


def staff_context(request, application, posted=None) -> dict:
    files = list(application.material_files.select_related("uploaded_by")
                 .order_by("uploaded_at", "id"))
    current = [f for f in files if f.superseded_at is None]
    rounds = list(application.supplementations.select_related("requested_by")
                  .prefetch_related("items").order_by("requested_at"))
    open_round = next((r for r in rounds if r.status == "open"), None)
    live_changes = changes_since(application, open_round.snapshot, current) if open_round else None
    user = request.user
    first = first_reviewer_id(application)
    rows, figures = _fields(application)
    now = timezone.now()
    default_deadline = deadline_after(now, DEFAULT_WORKDAYS)
    return {
        "application": application, "spec": application.spec, "org": application.organisation,
        "identity": application.organisation_as_submitted,
        "field_rows": rows, "figure_rows": figures,
        "checklist": run_checks(application, current),
        "groups": _material_groups(application, files),
        "findings_total": {
            "fail": sum(1 for f in current for x in f.findings if x.get("status") == "fail"),
            "warn": sum(1 for f in current for x in f.findings if x.get("status") == "warn"),
            "pending": sum(1 for f in current if f.inspection == "pending")},
        "rounds": rounds, "open_round": open_round, "live_changes": live_changes,
        "timeline": application.state_changes.select_related("by"),
        "trail": audit.trail(application)[:200],
        "decisions": application.decisions.select_related("by"),
        "item_rows": [{"key": c.key, "label": c.label, "group": c.group,
                       "checked": c.key in (posted or {}).get("items", ()),
                       "reason": (posted or {}).get("supplement", {}).get(f"reason:{c.key}", "")}
                      for c in item_choices(application)],
        "refusal_reasons": REFUSAL_REASONS,
        "default_workdays": DEFAULT_WORKDAYS, "max_workdays": MAX_WORKDAYS,
        "default_deadline": default_deadline,
        "calendar_known": calendar_known(timezone.localtime(default_deadline).year),
        "can": {
            "accept": application.state == State.SUBMITTED
            and user.has_perm("review.accept_application", application),
            "supplement": application.state == State.SUBMITTED
            and user.has_perm("review.request_supplementation", application),
            "refuse": (application.state == State.SUBMITTED
                       and user.has_perm("review.refuse_application", application))
            or (application.state == State.ACCEPTED
                and user.has_perm("review.recheck_application", application)
                and first != user.pk),
            "recheck": application.state == State.ACCEPTED
            and user.has_perm("review.recheck_application", application) and first != user.pk,
            "verify": application.state == State.RECHECKED
            and application.spec.review.method == "verification"
            and user.has_perm("review.verify_application", application),
        },
        "is_first_reviewer": application.state == State.ACCEPTED and first == user.pk,
        "posted": posted or {},
    }


@login_required
def application_detail(request, pk):
    """Everything an officer needs to decide, on one page."""
    application = get_application(request, pk)
    if not request.user.has_perm("review.view_application", application):
        return redirect("web:application-progress", pk=pk)
    if application.state == State.DRAFT:
        raise PermissionDenied("草稿尚未提交，不在受理审查范围内")
    return render(request, "web/review/detail.html", staff_context(request, application))
