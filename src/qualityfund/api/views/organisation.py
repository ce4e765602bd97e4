"""``/api/v1/organisation/``: the caller's own organisation, and nobody else's; its identity
change requests (身份信息变更)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from qualityfund.core.accounts import queries
from qualityfund.core.accounts.identity import IDENTITY_FIELDS
from qualityfund.core.accounts.identity_changes import (
    submit_identity_change,
    withdraw_identity_change,
)
from qualityfund.core.accounts.services import update_organisation

from ..access import IsApplicant
from ..serializers.common import ErrorSerializer
from ..serializers.organisation import (
    IdentityChangeAcceptedSerializer,
    IdentityChangeCreateSerializer,
    IdentityChangeSerializer,
    OrganisationSerializer,
    OrganisationUpdateSerializer,
)

REFUSALS = {400: ErrorSerializer, 401: ErrorSerializer, 403: ErrorSerializer}
TAGS = ["organisation"]
ACCEPTED = "身份信息（{fields}）已冻结：已提交身份信息变更申请，待审核人员批准后生效"


class OrganisationView(APIView):
    permission_classes = (IsAuthenticated, IsApplicant)

    @extend_schema(tags=TAGS, summary="本单位信息",
                   responses={200: OrganisationSerializer, **REFUSALS})
    def get(self, request):
        return Response(OrganisationSerializer(request.user.organisation).data)

    @extend_schema(
        tags=TAGS, summary="修改本单位信息",
        description="联系人、电话、邮箱、地址等直接保存（200）。本单位提交过申请后，单位名称、"
                    "统一社会信用代码、银行账户、账户注册主体名称和可信等级不直接修改，而是提交"
                    "身份信息变更申请（202），审核人员批准后生效。",
        request=OrganisationUpdateSerializer,
        responses={200: OrganisationSerializer, 202: IdentityChangeAcceptedSerializer,
                   **REFUSALS})
    def patch(self, request):
        given = OrganisationUpdateSerializer(request.user.organisation, data=request.data,
                                             partial=True)
        given.is_valid(raise_exception=True)
        values = dict(given.validated_data)
        reason = values.pop("change_reason", "")
        update = update_organisation(request.user.organisation, values, by=request.user,
                                     reason=reason)
        organisation = OrganisationSerializer(update.organisation).data
        if update.change is None:
            return Response(organisation)
        fields = "、".join(row["label"] for row in update.change.rows)
        return Response({"detail": ACCEPTED.format(fields=fields),
                         "identity_change": IdentityChangeSerializer(update.change).data,
                         "organisation": organisation}, status=202)


class IdentityChangeListView(APIView):
    permission_classes = (IsAuthenticated, IsApplicant)

    @extend_schema(tags=TAGS, summary="本单位的身份信息变更申请（含历次变更前后的值）",
                   responses={200: IdentityChangeSerializer(many=True), **REFUSALS})
    def get(self, request):
        changes = queries.history(request.user.organisation)
        return Response(IdentityChangeSerializer(changes, many=True).data)

    @extend_schema(tags=TAGS, summary="申请变更身份信息",
                   request=IdentityChangeCreateSerializer,
                   responses={201: IdentityChangeSerializer, **REFUSALS})
    def post(self, request):
        organisation = request.user.organisation
        given = IdentityChangeCreateSerializer(organisation, data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        values = {k: v for k, v in given.validated_data.items() if k in IDENTITY_FIELDS}
        change = submit_identity_change(organisation, values, by=request.user,
                                        reason=given.validated_data["reason"])
        return Response(IdentityChangeSerializer(change).data, status=201)


class IdentityChangeWithdrawView(APIView):
    permission_classes = (IsAuthenticated, IsApplicant)

    @extend_schema(tags=TAGS, summary="撤回待审核的身份信息变更申请", request=None,
                   responses={200: IdentityChangeSerializer, 404: ErrorSerializer,
                              **REFUSALS})
    def post(self, request, pk):
        change = get_object_or_404(request.user.organisation.identity_changes, pk=pk)
        change = withdraw_identity_change(change, by=request.user)
        return Response(IdentityChangeSerializer(change).data)
