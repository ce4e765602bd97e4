"""What the funding pages and exports read, each in a fixed number of queries."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from qualityfund.core.applications.models import Application
from qualityfund.core.applications.states import State, chinese_name
from qualityfund.core.guides.models import Guide

from . import sources
from .models import (
    DisqualifierCheck,
    DuplicatePair,
    FundingPlan,
    ItemStatus,
    ListImport,
    ListKind,
    Payment,
    PlanItem,
    PlanState,
)
from .rounds import NOT_READY

AFTER_REVIEW = (State.REVIEWED, State.CLEARED, State.DISQUALIFIED, State.FUNDED,
                State.NOT_FUNDED, State.DISBURSED)


def default_guide(raw=None) -> Guide | None:
    """The guide asked for, else the latest one with applications past review."""
    if raw:
        found = Guide.objects.filter(pk=raw).first() if str(raw).isdigit() else None
        if found:
            return found
    return (Guide.objects.filter(applications__state__in=AFTER_REVIEW).distinct().first()
            or Guide.objects.first())


class SubprogrammeNames:
    """Short names of sub-programmes, parsing each guide's data once however many rows
    refer to it (a row's own ``guide`` is a separate instance with its own parse)."""

    def __init__(self):
        self._by_guide: dict[int, dict[str, str]] = {}

    def __call__(self, guide_id: int, key: str) -> str:
        if guide_id not in self._by_guide:
            spec = Guide.objects.get(pk=guide_id).spec
            self._by_guide[guide_id] = {s.key: s.short_name for s in spec.subprogrammes}
        return self._by_guide[guide_id].get(key, key)


@dataclass
class Filters:
    """The filters of a list page; exports carry the same ones and print them."""

    guide: Guide | None
    subprogramme: str = ""
    state: str = ""
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_request(cls, params) -> "Filters":
        return cls(guide=default_guide(params.get("guide")),
                   subprogramme=params.get("subprogramme", ""), state=params.get("state", ""))

    def described(self) -> list[tuple[str, str]]:
        rows = [("申报指南", str(self.guide) if self.guide else "（无）")]
        if self.subprogramme and self.guide:
            try:
                rows.append(("子项目", self.guide.subprogramme(self.subprogramme).name))
            except KeyError:
                rows.append(("子项目", self.subprogramme))
        if self.state:
            labels = {s.value: chinese_name(s) for s in State} | dict(Payment.Status.choices)
            rows.append(("状态", labels.get(self.state, self.state)))
        return rows or [("筛选条件", "全部")]

    def query(self) -> str:
        parts = [f"guide={self.guide.pk}"] if self.guide else []
        parts += [f"{k}={v}" for k, v in (("subprogramme", self.subprogramme),
                                           ("state", self.state)) if v]
        return "&".join(parts)


def applications_after_review(filters: Filters):
    """Applications past review with their current checks: three queries in all."""
    qs = Application.objects.filter(state__in=AFTER_REVIEW)
    if filters.guide:
        qs = qs.filter(guide=filters.guide)
    if filters.subprogramme:
        qs = qs.filter(subprogramme=filters.subprogramme)
    if filters.state:
        qs = qs.filter(state=filters.state)
    current = DisqualifierCheck.objects.filter(superseded=False).select_related("ran_by")
    return (qs.select_related("organisation", "guide").defer("guide__data")
            .prefetch_related(Prefetch("disqualifier_checks", queryset=current,
                                       to_attr="current_checks"))
            .order_by("subprogramme", "-review_score", "id"))


def checks(filters: Filters):
    qs = DisqualifierCheck.objects.filter(superseded=False)
    if filters.guide:
        qs = qs.filter(application__guide=filters.guide)
    if filters.subprogramme:
        qs = qs.filter(application__subprogramme=filters.subprogramme)
    if filters.state:
        qs = qs.filter(application__state=filters.state)
    return qs.select_related("application__organisation", "ran_by", "decided_by").order_by(
        "application_id", "situation_id")


def pairs_of(application):
    current = DuplicatePair.objects.filter(application=application,
                                           check_record__superseded=False)
    return current.select_related("other_application__organisation", "other_earlier")


def plan_items(plan: FundingPlan):
    return plan.items.select_related("application__organisation", "adjusted_by").order_by(
        "rank", "id")


def plans(filters: Filters):
    qs = FundingPlan.objects.select_related("guide", "drafted_by")
    if filters.guide:
        qs = qs.filter(guide=filters.guide)
    if filters.subprogramme:
        qs = qs.filter(subprogramme=filters.subprogramme)
    return qs.order_by("guide_id", "subprogramme", "number")


@dataclass
class PlanRow:
    """One sub-programme on the plan list: its plans (rounds), who is not ready for a plan,
    how many cleared applications wait for one, and what drafting now would make."""

    spec: object
    plans: list = field(default_factory=list)
    not_ready: list = field(default_factory=list)
    ready: int = 0

    @property
    def latest(self):
        return self.plans[-1] if self.plans else None

    @property
    def next_plan(self) -> str:
        """What drafting now makes: "redraft", "whole", "round", "next_round",
        "supplementary", or "" (nothing can be drafted now)."""
        latest = self.latest
        if latest is not None and latest.state == PlanState.DRAFT:
            return "redraft"
        if latest is not None and not latest.locked or not self.ready:
            return ""
        if latest is None:
            return "round" if self.not_ready else "whole"
        return "next_round" if latest.split else "supplementary"


def plan_rows(filters: Filters, subprogrammes) -> list[PlanRow]:
    """The plan list: the sub-programmes the filter asks for (three queries)."""
    wanted = [s for s in subprogrammes
              if not filters.subprogramme or s.key == filters.subprogramme]
    rows = {s.key: PlanRow(s) for s in wanted}
    if not filters.guide or not rows:
        return list(rows.values())
    for plan in plans(filters).annotate(
            answered=Count("consultations", filter=Q(consultations__opinion_at__isnull=False)),
            asked=Count("consultations")):
        if plan.subprogramme in rows:
            rows[plan.subprogramme].plans.append(plan)
    waiting = Application.objects.filter(guide=filters.guide, subprogramme__in=rows,
                                         state__in=NOT_READY)
    for application in (waiting.select_related("organisation", "panel_entry__panel")
                        .order_by("state", "number")):
        rows[application.subprogramme].not_ready.append(application)
    for row in (Application.objects.filter(guide=filters.guide, subprogramme__in=rows,
                                           state=State.CLEARED, plan_item__isnull=True)
                .values("subprogramme").annotate(n=Count("id"))):
        rows[row["subprogramme"]].ready = row["n"]
    return list(rows.values())


def noticed_plans(guide):
    """The plans of ``guide`` on public notice, with their funded items (two queries)."""
    funded = (PlanItem.objects.filter(status=ItemStatus.FUNDED)
              .select_related("application__organisation").order_by("rank", "id"))
    return list(FundingPlan.objects.filter(guide=guide, state=PlanState.NOTICED)
                .select_related("guide").prefetch_related(
                    Prefetch("items", queryset=funded, to_attr="funded_items")))


def payments(filters: Filters, batch=None):
    qs = Payment.objects.select_related("batch", "item__plan__guide",
                                        "item__application__organisation", "settled_by")
    if batch is not None:
        qs = qs.filter(batch=batch)
    if filters.guide:
        qs = qs.filter(batch__guide=filters.guide)
    if filters.subprogramme:
        qs = qs.filter(item__plan__subprogramme=filters.subprogramme)
    if filters.state:
        qs = qs.filter(status=filters.state)
    return qs.order_by("batch_id", "id")


@dataclass
class Reconciled:
    plan: FundingPlan
    planned: Decimal = Decimal("0.00")
    paid: Decimal = Decimal("0.00")
    pending: Decimal = Decimal("0.00")
    failed: Decimal = Decimal("0.00")
    items: int = 0

    @property
    def unpaid(self) -> Decimal:
        return self.planned - self.paid

    @property
    def balanced(self) -> bool:
        return self.unpaid == 0


def reconciliation(guide) -> list[Reconciled]:
    """Per final plan: the plan's total against what was paid, to the fen (three queries)."""
    rows = {p.pk: Reconciled(p) for p in FundingPlan.objects.filter(
        guide=guide, state=PlanState.FINAL).select_related("guide")}
    for plan_id, amount in PlanItem.objects.filter(
            plan_id__in=rows, status=ItemStatus.FUNDED).values_list("plan_id", "amount"):
        rows[plan_id].planned += Decimal(amount)
        rows[plan_id].items += 1
    sums = defaultdict(Decimal)
    for plan_id, status, amount in Payment.objects.filter(item__plan_id__in=rows).values_list(
            "item__plan_id", "status", "amount"):
        sums[(plan_id, status)] += amount
    for plan_id, row in rows.items():
        row.paid = sums[(plan_id, Payment.Status.PAID)] + Decimal("0.00")
        row.pending = sums[(plan_id, Payment.Status.PENDING)] + Decimal("0.00")
        row.failed = sums[(plan_id, Payment.Status.FAILED)] + Decimal("0.00")
    return list(rows.values())


@dataclass
class Stranded:
    """An application past review that no plan holds, though its sub-programme's last plan
    was issued: without a supplementary plan it would never be decided."""

    application: Application
    last_plan: FundingPlan


def stranded(guide=None) -> list[Stranded]:
    """Applications in 已评审 or cleared, on no plan, whose sub-programme's latest plan is
    final (two queries)."""
    plans = FundingPlan.objects.select_related("guide").order_by("guide_id", "subprogramme",
                                                                 "number")
    if guide is not None:
        plans = plans.filter(guide=guide)
    latest = {(p.guide_id, p.subprogramme): p for p in plans}
    issued = {key: p for key, p in latest.items() if p.state == PlanState.FINAL}
    if not issued:
        return []
    waiting = (Application.objects.filter(state__in=(State.REVIEWED, State.CLEARED),
                                          plan_item__isnull=True,
                                          guide_id__in={g for g, _ in issued})
               .select_related("organisation").order_by("guide_id", "subprogramme", "id"))
    return [Stranded(a, issued[(a.guide_id, a.subprogramme)]) for a in waiting
            if (a.guide_id, a.subprogramme) in issued]


@dataclass
class ListState:
    """One list the checks read: the version in force (if any, and whether it expired) and
    the versions waiting for a second officer."""

    kind: str
    label: str
    max_age_days: int
    active: ListImport | None = None
    expired: bool = False
    pending: list = field(default_factory=list)

    @property
    def usable(self) -> bool:
        return self.active is not None and not self.expired


def list_states() -> list[ListState]:
    """Every list kind with its state (one query)."""
    now = timezone.now()
    states = {kind: ListState(kind, label, sources.max_age_days(kind))
              for kind, label in ListKind.choices}
    for batch in (ListImport.objects.filter(status__in=(ListImport.Status.ACTIVE,
                                                        ListImport.Status.PENDING))
                  .select_related("imported_by", "reviewed_by")):
        state = states[batch.kind]
        if batch.status == ListImport.Status.PENDING:
            state.pending.append(batch)
        else:
            state.active, state.expired = batch, sources.expired(batch, now)
    return list(states.values())
