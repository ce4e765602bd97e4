"""``/api/v1/organisation/``: the caller's own organisation, and nobody else's."""

from drf_spectacular.utils import extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from qualityfund.core.accounts.services import update_organisation

from ..access import IsApplicant
from ..serializers.common import ErrorSerializer
from ..serializers.organisation import OrganisationSerializer

REFUSALS = {400: ErrorSerializer, 401: ErrorSerializer, 403: ErrorSerializer}


class OrganisationView(APIView):
    permission_classes = (IsAuthenticated, IsApplicant)

    @extend_schema(tags=["organisation"], summary="本单位信息",
                   responses={200: OrganisationSerializer, **REFUSALS})
    def get(self, request):
        return Response(OrganisationSerializer(request.user.organisation).data)

    @extend_schema(tags=["organisation"], summary="修改本单位信息",
                   request=OrganisationSerializer,
                   responses={200: OrganisationSerializer, **REFUSALS})
    def patch(self, request):
        organisation = request.user.organisation
        given = OrganisationSerializer(organisation, data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        changed = [name for name, value in given.validated_data.items()
                   if getattr(organisation, name) != value]
        for name in changed:
            setattr(organisation, name, given.validated_data[name])
        organisation = update_organisation(organisation, changed, by=request.user)
        return Response(OrganisationSerializer(organisation).data)
