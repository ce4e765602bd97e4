"""Guides and their sub-programmes as the guide file describes them (read-only, public)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from qualityfund.core.guides.models import Guide


class GuideSerializer(serializers.ModelSerializer):
    """申报指南 in brief, with its application window (申报时间) as currently set."""

    is_open = serializers.SerializerMethodField(help_text="当前是否在申报时间内")

    class Meta:
        model = Guide
        fields = ("slug", "title", "year", "is_demo", "opens_at", "closes_at", "is_open")

    def get_is_open(self, guide) -> bool:
        return guide.is_open()


class GuideDetailSerializer(GuideSerializer):
    """申报指南 with all its data: conditions, sub-programmes, materials, templates."""

    data = serializers.SerializerMethodField(
        help_text="经校验的指南数据（申报时间为当前设置的时间）")

    class Meta(GuideSerializer.Meta):
        fields = (*GuideSerializer.Meta.fields, "data")

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_data(self, guide) -> dict:
        return guide.spec.model_dump(mode="json")


class SubprogrammeSerializer(serializers.Serializer):
    """One 子项目 in brief; the instance is the sub-programme's JSON dump."""

    key = serializers.CharField()
    order = serializers.IntegerField()
    clause = serializers.CharField()
    name = serializers.CharField()
    short_name = serializers.CharField()
    direction = serializers.CharField(allow_null=True)
    funding_text = serializers.CharField()


class SubprogrammeDetailSerializer(SubprogrammeSerializer):
    """The sub-programme's whole spec, with its report template resolved."""

    funding = serializers.DictField(help_text="资助方式与金额（元）")
    review = serializers.DictField(help_text="评审方式")
    completion_period = serializers.DictField(allow_null=True, help_text="项目完成时间要求")
    figures = serializers.ListField(child=serializers.DictField(), help_text="在线填报的指标")
    conditions = serializers.ListField(child=serializers.DictField(), help_text="资助条件")
    materials = serializers.ListField(child=serializers.DictField(), help_text="申报材料")
    materials_note = serializers.CharField()
    report_template = serializers.CharField(allow_null=True, help_text="报告模板的键")
    template = serializers.DictField(allow_null=True, help_text="报告模板（附件）全文")


def subprogramme_data(guide: Guide, sub, *, detail: bool) -> dict:
    data = sub.model_dump(mode="json")
    if detail:
        data["template"] = (guide.spec.template(sub.report_template).model_dump(mode="json")
                            if sub.report_template else None)
    return data
