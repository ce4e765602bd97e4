"""Panel endpoints: the panels a user may see, the chair's ranking, the expert's assignments
and score sheet (autosave with PATCH, confirm with POST).

The same rules as the pages: an application the expert is not assigned to, or has a
conflict on, answers 404 exactly as one that does not exist.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from qualityfund.core.applications.models import Application
from qualityfund.core.common.permissions import require
from qualityfund.core.panels import report, results, services
from qualityfund.core.panels.models import Panel, PanelMember, ScoreSheet
from qualityfund.core.panels.queries import entries_for

from .serializers.common import ErrorSerializer

NOT_FOUND = "没有找到该专家组"


class PanelSerializer(serializers.ModelSerializer):
    """A panel as anyone who may see it reads it. The seed is the server's, published after
    the draw beside the hash recorded before it; nobody sets it through the API."""

    chair = serializers.CharField(source="chair.name", default=None, read_only=True)
    status = serializers.CharField(read_only=True, help_text="draft 待抽取 · drawn 评审中 · "
                                                             "finalised 已定稿")
    vacant_seats = serializers.ListField(child=serializers.IntegerField(), read_only=True,
                                         help_text="空缺席位（补缺或决定以现有人数定稿前不能定稿）")

    class Meta:
        model = Panel
        fields = ("id", "name", "subprogramme", "size", "expertise", "status", "seed",
                  "seed_hash", "seed_algorithm", "scoring_deadline", "scoring_basis",
                  "vacant_seats", "chair", "drawn_at", "finalised_at")
        read_only_fields = fields


class RankingRowSerializer(serializers.Serializer):
    rank = serializers.IntegerField(allow_null=True)
    tied = serializers.BooleanField()
    application = serializers.IntegerField()
    number = serializers.CharField(allow_null=True)
    organisation = serializers.CharField()
    scores = serializers.DictField(child=serializers.CharField(allow_null=True),
                                   help_text="专家编号 → 总分")
    outliers = serializers.ListField(child=serializers.CharField())
    mean = serializers.CharField(allow_null=True)
    median = serializers.CharField(allow_null=True)
    spread = serializers.CharField(allow_null=True)
    result = serializers.CharField(allow_null=True)
    recommendation = serializers.CharField()
    complete = serializers.BooleanField()
    criteria = serializers.DictField(child=serializers.CharField(),
                                     help_text="评审标准 → 专家组得分（与总分同法汇总）")


class RankingSerializer(serializers.Serializer):
    method = serializers.CharField()
    leniency = serializers.DictField(child=serializers.FloatField())
    rows = RankingRowSerializer(many=True)


class AssignmentSerializer(serializers.Serializer):
    application = serializers.IntegerField()
    number = serializers.CharField(allow_null=True)
    organisation = serializers.CharField()
    project_name = serializers.CharField()
    sheet_status = serializers.CharField(allow_null=True)
    total = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)


class SheetSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text="draft 填写中 · confirmed 已确认")

    class Meta:
        model = ScoreSheet
        fields = ("scores", "comments", "recommendation", "tier", "amount", "site_visit",
                  "total", "status", "saved_at", "confirmed_at")
        read_only_fields = ("total", "status", "saved_at", "confirmed_at")


class SheetInputSerializer(serializers.Serializer):
    scores = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False)
    comments = serializers.DictField(child=serializers.CharField(allow_blank=True),
                                     required=False)
    recommendation = serializers.BooleanField(allow_null=True, required=False)
    tier = serializers.IntegerField(allow_null=True, required=False)
    amount = serializers.IntegerField(allow_null=True, required=False)
    site_visit = serializers.CharField(allow_blank=True, required=False)


class SavedSheetSerializer(SheetSerializer):
    problems = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta(SheetSerializer.Meta):
        fields = (*SheetSerializer.Meta.fields, "problems")


def _panel(request, pk) -> Panel:
    panel = Panel.objects.select_related("guide", "chair").filter(pk=pk).first()
    if panel is None or not request.user.has_perm("panels.view_panel", panel):
        raise Http404(NOT_FOUND)
    return panel


def _assigned(request, pk, application_id) -> Application:
    application = get_object_or_404(Application, pk=application_id, panel_entry__panel_id=pk)
    if not request.user.has_perm("panels.review_application", application):
        raise Http404("没有找到该申请")
    return application


class PanelListView(APIView):
    @extend_schema(tags=["panels"], summary="可见的专家组", responses=PanelSerializer(many=True))
    def get(self, request):
        panels = Panel.objects.visible_to(request.user).select_related("chair")
        return Response(PanelSerializer(panels, many=True).data)


class RankingView(APIView):
    @extend_schema(tags=["panels"], summary="评分汇总与排名（组长及局内人员）",
                   responses={200: RankingSerializer, 403: ErrorSerializer, 404: ErrorSerializer})
    def get(self, request, pk):
        panel = _panel(request, pk)
        require(request.user, "panels.view_results", panel)
        hidden = frozenset() if request.user.is_bureau_staff else frozenset(
            panel.entries.filter(application__expert_conflicts__expert__user=request.user)
            .values_list("application_id", flat=True))
        outcome = results.compute(panel, hide_applications=hidden)
        labels = {m.pk: f"专家{m.seat}" for m in outcome.members}
        context = report.report_context(panel, outcome)
        rows = [{
            "rank": row.rank, "tied": shown["tied"], "application": row.application.pk,
            "number": row.application.number, "organisation": row.application.organisation_as_submitted.name,
            "scores": {labels[m.pk]: (str(row.sheets[m.pk].total) if m.pk in row.sheets
                                      else None) for m in outcome.members},
            "outliers": [labels[m] for m in sorted(row.outliers)],
            **{k: (str(getattr(row.aggregate, k)) if row.aggregate else None)
               for k in ("mean", "median", "spread", "result")},
            "recommendation": shown["recommendation"], "complete": row.complete,
            "criteria": dict(zip((c["label"] for c in context["criteria"]), shown["criteria"],
                                 strict=True)),
        } for row, shown in zip(outcome.rows, context["rows"], strict=True)]
        return Response(RankingSerializer({
            "method": outcome.method_text, "rows": rows,
            "leniency": {labels[k]: v for k, v in outcome.leniency.items()}}).data)


class AssignmentsView(APIView):
    @extend_schema(tags=["panels"], summary="专家本人的评审项目（已回避的不列出）",
                   responses={200: AssignmentSerializer(many=True), 404: ErrorSerializer})
    def get(self, request, pk):
        panel = _panel(request, pk)
        sheets = {s.application_id: s for s in ScoreSheet.objects.filter(
            panel=panel, member__expert__user=request.user,
            member__status=PanelMember.Status.ACTIVE)}
        data = [{"application": e.application_id, "number": e.application.number,
                 "organisation": e.application.organisation_as_submitted.name,
                 "project_name": e.application.project_name,
                 "sheet_status": sheets[e.application_id].status
                 if e.application_id in sheets else None,
                 "total": sheets[e.application_id].total if e.application_id in sheets else None}
                for e in entries_for(request.user, panel)]
        return Response(AssignmentSerializer(data, many=True).data)


class SheetView(APIView):
    @extend_schema(tags=["panels"], summary="本人的评分表",
                   responses={200: SheetSerializer, 404: ErrorSerializer})
    def get(self, request, pk, application_id):
        application = _assigned(request, pk, application_id)
        sheet = services.sheet_of(application, request.user)
        return Response(SheetSerializer(sheet or ScoreSheet()).data)

    @extend_schema(tags=["panels"], summary="自动保存评分表（保留有效内容，返回问题）",
                   request=SheetInputSerializer,
                   responses={200: SavedSheetSerializer, 400: ErrorSerializer,
                              404: ErrorSerializer})
    def patch(self, request, pk, application_id):
        application = _assigned(request, pk, application_id)
        values = SheetInputSerializer(data=request.data)
        values.is_valid(raise_exception=True)
        sheet, problems = services.save_sheet(application, by=request.user,
                                              values=dict(values.validated_data))
        sheet.problems = [p.message for p in problems]
        return Response(SavedSheetSerializer(sheet).data)


class ConfirmView(APIView):
    @extend_schema(tags=["panels"], summary="确认评分表（确认后锁定）", request=None,
                   responses={200: SheetSerializer, 400: ErrorSerializer, 404: ErrorSerializer})
    def post(self, request, pk, application_id):
        application = _assigned(request, pk, application_id)
        return Response(SheetSerializer(services.confirm_sheet(application,
                                                               by=request.user)).data)
