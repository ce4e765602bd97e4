"""``/api/v1/applications/``: the applicant's journey, each change through a service function."""

import dataclasses

from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import APIView

from qualityfund.core.applications import services
from qualityfund.core.applications.checks import run_checks
from qualityfund.core.applications.models import Application
from qualityfund.core.common import audit

from ..access import get_application
from ..negotiation import FileDownloadNegotiation
from ..serializers.applications import (
    ApplicationCreateSerializer,
    ApplicationListSerializer,
    ApplicationSerializer,
    ApplicationUpdateSerializer,
    SelfCheckSerializer,
    TimelineEntrySerializer,
    WithdrawSerializer,
)
from ..serializers.common import ErrorSerializer

TAGS = ["applications"]
READ_REFUSALS = {401: ErrorSerializer, 404: ErrorSerializer}
REFUSALS = {400: ErrorSerializer, 403: ErrorSerializer, **READ_REFUSALS}


def _detail(request, application) -> Response:
    return Response(ApplicationSerializer(application, context={"request": request}).data)


class ApplicationListView(APIView):
    @extend_schema(tags=TAGS, summary="本单位的申请",
                   responses={200: ApplicationListSerializer(many=True), **READ_REFUSALS})
    def get(self, request):
        applications = Application.objects.visible_to(request.user).select_related("guide")
        return Response(ApplicationListSerializer(
            applications, many=True, context={"request": request}).data)

    @extend_schema(tags=TAGS, summary="新建申请（选择办理情形）",
                   request=ApplicationCreateSerializer,
                   responses={201: ApplicationSerializer, **REFUSALS})
    def post(self, request):
        given = ApplicationCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        application = services.create_application(
            guide=given.validated_data["guide"],
            subprogramme=given.validated_data["subprogramme"], by=request.user)
        body = ApplicationSerializer(application, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": body["url"]})


class ApplicationDetailView(APIView):
    parser_classes = (JSONParser,)  # the figures are an object

    @extend_schema(tags=TAGS, summary="一份申请的全部内容",
                   responses={200: ApplicationSerializer, **READ_REFUSALS})
    def get(self, request, pk):
        return _detail(request, get_application(request, pk))

    @extend_schema(tags=TAGS, summary="保存草稿（任意字段与指标）",
                   request=ApplicationUpdateSerializer,
                   responses={200: ApplicationSerializer, **REFUSALS})
    def patch(self, request, pk):
        application = get_application(request, pk, "applications.change_application")
        given = ApplicationUpdateSerializer(data=request.data,
                                            context={"application": application})
        given.is_valid(raise_exception=True)
        fields = dict(given.validated_data)
        figures = fields.pop("figures", None)
        application = services.save_draft(application, by=request.user, fields=fields,
                                          figures=figures)
        return _detail(request, application)


class SelfCheckView(APIView):
    @extend_schema(tags=TAGS, summary="自检：指南条件、表单与材料是否齐备",
                   responses={200: SelfCheckSerializer, **READ_REFUSALS})
    def get(self, request, pk):
        checklist = run_checks(get_application(request, pk))
        return Response(SelfCheckSerializer({
            "passes": checklist.passes,
            "blocking": [dataclasses.asdict(r) for r in checklist.blocking],
            "results": [dataclasses.asdict(r) for r in checklist.results],
            "counts": checklist.counts(),
        }).data)


class SubmitView(APIView):
    @extend_schema(tags=TAGS, summary="提交（服务器端重新自检，在申报时间内）", request=None,
                   responses={200: ApplicationSerializer, **REFUSALS})
    def post(self, request, pk):
        application = get_application(request, pk, "applications.submit_application")
        return _detail(request, services.submit(application, by=request.user))


class WithdrawView(APIView):
    @extend_schema(tags=TAGS, summary="撤回（受理前）", request=WithdrawSerializer,
                   responses={200: ApplicationSerializer, **REFUSALS})
    def post(self, request, pk):
        application = get_application(request, pk, "applications.withdraw_application")
        given = WithdrawSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        return _detail(request, services.withdraw(
            application, by=request.user, reason=given.validated_data["reason"]))


class TimelineView(APIView):
    @extend_schema(tags=TAGS, summary="办理进度",
                   responses={200: TimelineEntrySerializer(many=True), **READ_REFUSALS})
    def get(self, request, pk):
        application = get_application(request, pk)
        return Response(TimelineEntrySerializer(
            application.state_changes.select_related("by"), many=True).data)


class FormPdfView(APIView):
    content_negotiation_class = FileDownloadNegotiation

    @extend_schema(tags=TAGS, summary="申请表（提交时生成的PDF）", responses={
        (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="申请表"),
        **READ_REFUSALS})
    def get(self, request, pk):
        application = get_application(request, pk)
        if not application.form_pdf:
            raise Http404("申请提交后自动生成申请表")
        audit.access(request, "download", application, file="申请表")
        return FileResponse(application.form_pdf.open("rb"), as_attachment=True,
                            filename=f"{application.number}-申请表.pdf",
                            content_type="application/pdf")
