"""Formal review endpoints for bureau staff, and the applicant's answer to 补正.

Each action calls the same service function as the pages (permission, transaction, audit).
An application the caller may not view answers 404, exactly as one that does not exist.
"""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from qualityfund.core.applications import services as applications
from qualityfund.core.review import queries, services
from qualityfund.core.review.models import Decision, SupplementationItem
from qualityfund.core.review.reasons import REFUSAL_REASONS
from qualityfund.core.review.services import ItemRequest

from .access import get_application
from .serializers.common import ErrorSerializer, LabelledErrors, text_field

TAGS = ["review"]
REFUSALS = {400: ErrorSerializer, 401: ErrorSerializer, 403: ErrorSerializer,
            404: ErrorSerializer}


class QueueRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(allow_null=True)
    subprogramme = serializers.CharField()
    organisation = serializers.CharField(source="organisation_as_submitted.name")
    credit_code = serializers.CharField(source="organisation_as_submitted.credit_code")
    project_name = serializers.CharField()
    state = serializers.CharField()
    public_state = serializers.CharField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    supplement_deadline = serializers.DateTimeField(allow_null=True)
    failing = serializers.IntegerField(help_text="自动检查有不通过项的文件数")
    warning = serializers.IntegerField(help_text="自动检查有提示项的文件数")
    pending = serializers.IntegerField(help_text="自动检查未完成的文件数")


class QueueSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    state_counts = serializers.DictField(child=serializers.IntegerField())
    results = QueueRowSerializer(many=True)


class ReasonSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    clause = serializers.CharField()
    guide_words = serializers.CharField()
    needs_note = serializers.BooleanField()


class NoteSerializer(LabelledErrors, serializers.Serializer):
    note = text_field(Decision, "note", required=False, allow_blank=True, default="")


class RefuseSerializer(NoteSerializer):
    reason = serializers.ChoiceField(choices=[r.code for r in REFUSAL_REASONS])


class ItemSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="material:<材料>、field:<字段> 或 figure:<指标>")
    reason = text_field(SupplementationItem, "reason", allow_blank=True)
    label = serializers.CharField(read_only=True)


class SupplementationRequestSerializer(NoteSerializer):
    items = ItemSerializer(many=True)
    workdays = serializers.IntegerField(required=False, default=services.DEFAULT_WORKDAYS,
                                        help_text="补正期限（工作日，按法定节假日及调休计）")


class SupplementationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    requested_at = serializers.DateTimeField()
    deadline = serializers.DateTimeField()
    workdays = serializers.IntegerField()
    note = serializers.CharField()
    items = ItemSerializer(many=True, source="items.all")
    changes = serializers.DictField(help_text="补正后的变化：fields、files、removed_files")


class VerifySerializer(NoteSerializer):
    recommended = serializers.BooleanField()


class StateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    state = serializers.CharField()
    public_state = serializers.CharField()


def _require_staff(request) -> None:
    if not request.user.has_perm("review.view_queue"):
        raise PermissionDenied("仅审核人员可访问受理审查")


class QueueView(APIView):
    @extend_schema(tags=TAGS, summary="受理审查队列", responses={200: QueueSerializer, **REFUSALS},
                   parameters=[OpenApiParameter(name, str, required=False) for name in
                               ("subprogramme", "state", "q", "findings", "sort", "page")])
    def get(self, request):
        _require_staff(request)
        params = request.query_params
        result = queries.queue(subprogramme=params.get("subprogramme", ""),
                               state=params.get("state", ""), q=params.get("q", ""),
                               findings=params.get("findings", ""),
                               sort=params.get("sort", "submitted"))
        page = Paginator(result.rows, 50).get_page(params.get("page"))
        return Response(QueueSerializer({
            "count": page.paginator.count, "page": page.number,
            "pages": page.paginator.num_pages, "state_counts": result.state_counts,
            "results": list(page)}).data)


class RefusalReasonsView(APIView):
    @extend_schema(tags=TAGS, summary="不予受理理由（指南所列）",
                   responses={200: ReasonSerializer(many=True), **REFUSALS})
    def get(self, request):
        _require_staff(request)
        return Response(ReasonSerializer(REFUSAL_REASONS, many=True).data)


def _state(application) -> Response:
    application.refresh_from_db()
    return Response(StateSerializer(application).data)


def _decision_view(name: str, summary: str, permission: str, serializer, service):
    """A POST that takes one officer's decision through its service and answers the state."""

    @extend_schema(tags=TAGS, summary=summary, request=serializer,
                   responses={200: StateSerializer, **REFUSALS})
    def post(self, request, pk):
        application = get_application(request, pk, permission)
        given = serializer(data=request.data)
        given.is_valid(raise_exception=True)
        service(application, by=request.user, **given.validated_data)
        return _state(application)

    return type(name, (APIView,), {"post": post, "__doc__": summary})


AcceptView = _decision_view("AcceptView", "受理", "review.accept_application", NoteSerializer,
                            services.accept)
RefuseView = _decision_view("RefuseView", "不予受理", "review.refuse_application",
                            RefuseSerializer, services.refuse)
RecheckView = _decision_view("RecheckView", "复审通过（须为初审以外的复审人员）",
                             "review.recheck_application", NoteSerializer, services.recheck)
VerifyView = _decision_view("VerifyView", "核查（无需评审的子项目）", "review.verify_application",
                            VerifySerializer, services.verify)


class SupplementationRequestView(APIView):
    @extend_schema(tags=TAGS, summary="要求补正（事项、原因、工作日期限）",
                   request=SupplementationRequestSerializer,
                   responses={201: SupplementationSerializer, **REFUSALS})
    def post(self, request, pk):
        application = get_application(request, pk, "review.request_supplementation")
        given = SupplementationRequestSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        created = services.request_supplementation(
            application, by=request.user, workdays=data["workdays"], note=data["note"],
            items=[ItemRequest(i["key"], i["reason"]) for i in data["items"]])
        return Response(SupplementationSerializer(created).data, status=201)


class SupplementationListView(APIView):
    @extend_schema(tags=["applications"], summary="补正要求及补正内容",
                   responses={200: SupplementationSerializer(many=True), **REFUSALS})
    def get(self, request, pk):
        application = get_application(request, pk)
        rounds = application.supplementations.prefetch_related("items").order_by("requested_at")
        return Response(SupplementationSerializer(rounds, many=True).data)


class ResubmitView(APIView):
    @extend_schema(tags=["applications"], summary="提交补正", request=None,
                   responses={200: StateSerializer, **REFUSALS})
    def post(self, request, pk):
        application = get_application(request, pk, "applications.submit_application")
        applications.resubmit(application, by=request.user)
        return _state(application)
