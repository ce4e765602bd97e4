"""Rounds (批次) of a sub-programme's year: who is not ready for a plan yet, what the earlier
plans funded, and what a plan leaves for the next round.

DESIGN.md: "A year may be split into named rounds (批次) per sub-programme, each with its own
plan; quotas, per-organisation limits and the budget hold across the rounds of a year."
"""

from dataclasses import dataclass, field

from qualityfund.core.applications.models import Application
from qualityfund.core.applications.states import State

from .models import FundingPlan, ItemStatus, PlanItem, PlanState

# Applications still on their way to a plan: in review, in a panel, or waiting for the
# disqualifier checks. A plan over the whole field waits for all of them.
NOT_READY = (State.SUBMITTED, State.SUPPLEMENTING, State.ACCEPTED, State.RECHECKED,
             State.REVIEWED)
LOCKED = (PlanState.DECIDED, PlanState.NOTICED, PlanState.FINAL)


def not_ready(guide, subprogramme: str) -> list[Application]:
    """The applications of the sub-programme that a plan drafted now would leave out."""
    return list(Application.objects.filter(guide=guide, subprogramme=subprogramme,
                                           state__in=NOT_READY)
                .select_related("organisation").order_by("state", "number", "id"))


@dataclass
class Used:
    """What some plans of one sub-programme fund: projects, yuan, projects per credit code."""

    projects: int = 0
    amount: int = 0
    orgs: dict[str, int] = field(default_factory=dict)

    def add(self, credit_code: str, amount: int) -> None:
        self.projects += 1
        self.amount += amount
        self.orgs[credit_code] = self.orgs.get(credit_code, 0) + 1

    def as_input(self) -> dict:
        """The plan engine's ``earlier`` entry."""
        return {"projects": self.projects, "amount": self.amount, "orgs": dict(self.orgs)}


def used_by(plans) -> dict[str, Used]:
    """Funded items of ``plans`` by sub-programme (one query)."""
    used: dict[str, Used] = {}
    for sub, code, amount in PlanItem.objects.filter(
            plan__in=plans, status=ItemStatus.FUNDED).values_list(
            "plan__subprogramme", "application__organisation__credit_code", "amount"):
        used.setdefault(sub, Used()).add(code, amount)
    return used


def earlier_plans(plan: FundingPlan):
    """The plans of the same sub-programme and year drafted before ``plan``."""
    return FundingPlan.objects.filter(guide_id=plan.guide_id, subprogramme=plan.subprogramme,
                                      number__lt=plan.number)


def locked_plans(guide):
    """Plans whose amounts the decision fixed: what a what-if computation must not redo."""
    return FundingPlan.objects.filter(guide=guide, state__in=LOCKED)


@dataclass
class Remaining:
    """The year's limits of a sub-programme after some plans: None where there is no limit."""

    projects: int | None
    budget: int | None
    full_orgs: list[str]


@dataclass
class RoundSummary:
    """What a plan takes of the year, what earlier rounds took, and what it leaves."""

    plan: FundingPlan
    earlier: Used
    this: Used
    remaining: Remaining
    left: list[Application]


def summary(plan: FundingPlan, items: list[PlanItem]) -> RoundSummary:
    """``items`` are the plan's own (already read by the page); three more queries."""
    earlier = used_by(earlier_plans(plan)).get(plan.subprogramme, Used())
    this = Used()
    for item in items:
        if item.status == ItemStatus.FUNDED:
            this.add(item.application.organisation.credit_code, item.amount)
    funding = plan.spec.funding
    projects = None
    if funding.max_projects is not None:
        projects = max(funding.max_projects - earlier.projects - this.projects, 0)
    budget = None
    if plan.budget is not None:
        budget = max(plan.budget - earlier.amount - this.amount, 0)
    full = []
    if funding.max_per_org is not None:
        counts = dict(earlier.orgs)
        for code, n in this.orgs.items():
            counts[code] = counts.get(code, 0) + n
        full = sorted(code for code, n in counts.items() if n >= funding.max_per_org)
    left = list(Application.objects.filter(
        guide_id=plan.guide_id, subprogramme=plan.subprogramme,
        state__in=(*NOT_READY, State.CLEARED), plan_item__isnull=True)
        .select_related("organisation").order_by("state", "number", "id"))
    return RoundSummary(plan, earlier, this, Remaining(projects, budget, full), left)
