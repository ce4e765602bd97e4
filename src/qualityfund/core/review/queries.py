"""Reading for formal review: the officer's queue and one application's staff view.

The queue answers in a fixed number of queries whatever the number of rows: counts are
grouped in the database, the open deadline and the findings are subqueries.
"""

from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from qualityfund.core.applications.models import Application, MaterialFile
from qualityfund.core.applications.states import State
from qualityfund.core.guides.models import Guide

from .models import Supplementation

QUEUE_STATES = [s for s in State if s != State.DRAFT]
# "待办": what an officer or rechecker still has to act on.
WAITING_STATES = (State.SUBMITTED, State.ACCEPTED)
SORTS = {
    "submitted": ("提交时间（早→晚）", ("submitted_at", "id")),
    "-submitted": ("提交时间（晚→早）", ("-submitted_at", "-id")),
    "organisation": ("申报单位", ("organisation__name", "id")),
    "project": ("项目名称", ("project_name", "id")),
    "number": ("申报编号", ("number", "id")),
    "deadline": ("补正截止时间", ("supplement_deadline", "submitted_at", "id")),
    "problems": ("自动检查问题（多→少）", ("-failing", "-warning", "submitted_at", "id")),
}
FINDINGS_FILTERS = {"fail": "有不通过项", "warn": "有提示项", "pending": "检查未完成"}


def _file_count(**conditions):
    files = (MaterialFile.objects.filter(application=OuterRef("pk"), superseded_at__isnull=True,
                                         **conditions)
             .order_by().values("application").annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(files, output_field=IntegerField()), Value(0))


def annotated(queryset=None):
    """Applications with the open supplementation deadline and finding counts."""
    queryset = queryset if queryset is not None else Application.objects.all()
    deadline = (Supplementation.objects.open().filter(application=OuterRef("pk"))
                .order_by("-requested_at").values("deadline")[:1])
    return queryset.annotate(
        supplement_deadline=Subquery(deadline),
        failing=_file_count(findings__icontains='"fail"'),
        warning=_file_count(findings__icontains='"warn"'),
        pending=_file_count(inspection=MaterialFile.Inspection.PENDING),
    )


@dataclass
class Queue:
    rows: object  # the filtered, sorted queryset
    state_counts: dict[str, int]
    subprogramme_counts: dict[str, int]


def queue(*, subprogramme: str = "", state: str = "", q: str = "", findings: str = "",
          sort: str = "submitted") -> Queue:
    """The officer's queue; ``state`` may be a state, ``todo`` or empty for all."""
    base = Application.objects.exclude(state=State.DRAFT)
    by_sub = dict(base.order_by().values_list("subprogramme").annotate(n=Count("id")))
    scoped = base.filter(subprogramme=subprogramme) if subprogramme else base
    by_state = dict(scoped.order_by().values_list("state").annotate(n=Count("id")))
    rows = annotated(scoped).select_related("organisation").defer(
        "summary", "self_check", "figures")
    if state == "todo":
        rows = rows.filter(state__in=WAITING_STATES)
    elif state in State.values:
        rows = rows.filter(state=state)
    q = q.strip()
    if q:
        rows = rows.filter(Q(organisation__name__icontains=q)
                           | Q(organisation__credit_code__icontains=q.upper())
                           | Q(project_name__icontains=q) | Q(number__icontains=q))
    if findings == "fail":
        rows = rows.filter(failing__gt=0)
    elif findings == "warn":
        rows = rows.filter(warning__gt=0)
    elif findings == "pending":
        rows = rows.filter(pending__gt=0)
    order = SORTS.get(sort, SORTS["submitted"])[1]
    return Queue(rows.order_by(*order), by_state, by_sub)


def subprogramme_names(guide_ids) -> dict[str, str]:
    """Short names of the sub-programmes of the given guides (one query)."""
    names = {}
    for guide in Guide.objects.filter(pk__in=set(guide_ids)):
        for sub in guide.spec.subprogrammes:
            names.setdefault(sub.key, sub.short_name)
    return names


def open_supplementation(application) -> Supplementation | None:
    return (Supplementation.objects.open().filter(application=application)
            .prefetch_related("items").order_by("-requested_at").first())
