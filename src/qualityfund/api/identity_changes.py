"""身份信息变更 for bureau staff: the requests of every organisation; officers decide them.

Each decision calls the same service function as the page (permission, transaction, audit,
notice to the applicant)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from qualityfund.core.accounts import queries
from qualityfund.core.accounts.identity_changes import decide_identity_change

from .serializers.common import ErrorSerializer
from .serializers.organisation import DecisionSerializer, IdentityChangeSerializer

TAGS = ["identity-changes"]
REFUSALS = {400: ErrorSerializer, 401: ErrorSerializer, 403: ErrorSerializer,
            404: ErrorSerializer}


def _require_staff(request) -> None:
    if not request.user.has_perm("accounts.view_identity_changes"):
        raise PermissionDenied("仅局内工作人员可查看身份信息变更申请")


class IdentityChangeListView(APIView):
    @extend_schema(tags=TAGS, summary="身份信息变更申请（全部单位）",
                   parameters=[OpenApiParameter("status", str, required=False,
                                                description="pending 待审核 · approved 已批准 · "
                                                            "refused 不予批准 · withdrawn 已撤回")],
                   responses={200: IdentityChangeSerializer(many=True), **REFUSALS})
    def get(self, request):
        _require_staff(request)
        changes = queries.identity_changes(request.query_params.get("status", ""))
        return Response(IdentityChangeSerializer(changes, many=True).data)


def _decision_view(name: str, summary: str, approve: bool):
    @extend_schema(tags=TAGS, summary=summary, request=DecisionSerializer,
                   responses={200: IdentityChangeSerializer, **REFUSALS})
    def post(self, request, pk):
        _require_staff(request)
        change = get_object_or_404(queries.identity_changes(), pk=pk)
        given = DecisionSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        change = decide_identity_change(change, approve=approve, by=request.user,
                                        reason=given.validated_data["reason"])
        return Response(IdentityChangeSerializer(change).data)

    return type(name, (APIView,), {"post": post, "__doc__": summary})


ApproveView = _decision_view("ApproveView", "批准身份信息变更（须填写审核意见）", True)
RefuseView = _decision_view("RefuseView", "不予批准身份信息变更（须填写审核意见）", False)
