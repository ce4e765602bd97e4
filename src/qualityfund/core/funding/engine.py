"""The plan engine's rules read from the guide file, so that next year's guide changes the
amounts and limits without a code change; and the engine's input built from applications."""

from collections.abc import Iterable, Mapping
from decimal import Decimal

from qualityfund.domain.guide import Guide as GuideSpec
from qualityfund.domain.guide import Subprogramme
from qualityfund.domain.plan import PlanRules, simulate


def plan_rules(spec: Subprogramme) -> PlanRules:
    """One sub-programme's ``PlanRules`` from its ``funding`` and ``review`` entries.

    A sub-programme with a quota, an organisation limit or a minimum score is decided in
    score order (三（二）（四）（五）（七）); one reviewed by 核查 has no ranking at all (三（一）4).
    """
    funding = spec.funding
    panel = spec.review.method == "panel"
    min_score = (Decimal(funding.min_score_percent)
                 if funding.min_score_percent is not None else None)
    ranked = panel and any(x is not None for x in
                           (funding.max_projects, funding.max_per_org, min_score))
    tiers = (tuple(funding.tiers[t] for t in sorted(funding.tiers))
             if funding.tiers is not None else None)
    return PlanRules(
        amount=funding.amount if funding.kind == "fixed" else None,
        cap=funding.cap if funding.kind == "capped" else None,
        tiers=tiers,
        max_projects=funding.max_projects,
        max_per_org=funding.max_per_org,
        min_score=min_score,
        ranked=ranked,
        panel=panel,
        first_time_only=funding.first_time_only,
        once_per_project=funding.once_per_project,
    )


def guide_rules(guide: GuideSpec) -> dict[str, PlanRules]:
    """Every sub-programme's rules, in the guide's order."""
    return {sub.key: plan_rules(sub) for sub in sorted(guide.subprogrammes, key=lambda s: s.order)}


def application_input(application, *, previously_funded: bool, first_time: bool) -> dict:
    """The engine's view of one cleared application (the simulation contract's fields)."""
    requested = application.review_amount or application.requested_amount
    item = {
        "id": str(application.pk),
        "subprogramme": application.subprogramme,
        "org": application.organisation.credit_code,
        "score": application.review_score,
        "tier": application.review_tier,
        "eligible": True,
        "recommended": bool(application.review_recommended),
        "previously_funded": previously_funded,
        "first_time": first_time,
    }
    if requested is not None:
        item["requested"] = int(requested)
    return item


def compute(guide: GuideSpec, items: Iterable[dict], budgets: Mapping[str, int] | None = None,
            earlier: Mapping[str, dict] | None = None) -> dict:
    """``simulate`` with the guide's rules; budgets (the year's) only for the sub-programmes
    given; ``earlier`` what earlier rounds of the year funded, by sub-programme."""
    payload = {"applications": list(items)}
    if budgets:
        payload["budgets"] = dict(budgets)
    if earlier:
        payload["earlier"] = dict(earlier)
    return simulate(payload, guide_rules(guide))
