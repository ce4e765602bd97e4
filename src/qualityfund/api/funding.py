"""Funding endpoints: the plan simulation (the contract shared with ``simulate_plan`` and the
what-if page) and the funding plans as read-only data, for bureau staff."""

from functools import cache

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from qualityfund.core.funding import queries
from qualityfund.core.funding.engine import guide_rules
from qualityfund.core.guides.models import Guide
from qualityfund.domain.guide import GUIDE_2025, load_guide
from qualityfund.domain.plan import PlanInputError, simulate


class IsBureauStaff(BasePermission):
    message = "仅局内工作人员可使用资助方案接口"

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.has_perm("funding.view"))


@cache
def default_rules():
    """The rules of the shipped guide file (a loaded guide can be named with ``?guide=``)."""
    return guide_rules(load_guide(GUIDE_2025))


def rules_for(slug: str | None):
    if not slug:
        return default_rules()
    guide = Guide.objects.filter(slug=slug).first()
    if guide is None:
        raise PlanInputError("guide", f"没有找到申报指南“{slug}”")
    return guide_rules(guide.spec)


class SimulateView(APIView):
    """POST the simulation input; the answer is ``{"results", "totals"}`` or a 400 naming the
    field."""

    permission_classes = [IsBureauStaff]

    @extend_schema(
        parameters=[OpenApiParameter("guide", str, description="按该申报指南的规则计算")],
        request={"application/json": {"type": "object"}},
        responses={200: {"type": "object"}},
    )
    def post(self, request):
        try:
            result = simulate(request.data, rules_for(request.query_params.get("guide")))
        except PlanInputError as exc:
            return Response({"detail": exc.args[0], "field": exc.field},
                            status=status.HTTP_400_BAD_REQUEST)
        return Response(result)


class PlanListView(APIView):
    """The funding plans of a guide with their items (rank, score, amount, reason)."""

    permission_classes = [IsBureauStaff]

    @extend_schema(parameters=[OpenApiParameter("guide", int), OpenApiParameter(
        "subprogramme", str)], responses={200: {"type": "object"}})
    def get(self, request):
        filters = queries.Filters.from_request(request.query_params)
        plans = queries.plans(filters).prefetch_related("items__application__organisation")
        return Response({"plans": [{
            "id": plan.pk, "guide": plan.guide.slug, "subprogramme": plan.subprogramme,
            "round": plan.number, "round_name": plan.round_name,
            "supplementary": plan.supplementary, "state": plan.state, "budget": plan.budget,
            "items": [{
                "application": item.application_id,
                "organisation": item.organisation_as_planned.name,
                "project": item.application.project_name, "rank": item.rank,
                "score": str(item.score) if item.score is not None else None,
                "status": item.status, "amount": item.amount,
                "rule_amount": item.engine_amount, "reason": item.reason,
            } for item in sorted(plan.items.all(), key=lambda i: (i.rank is None, i.rank or 0,
                                                                   i.pk))],
        } for plan in plans]})
