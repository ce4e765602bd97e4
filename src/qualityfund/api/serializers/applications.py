"""Applications: what the applicant reads, and what a draft may be changed to.

Writes are validated here (types, the guide's cap, each figure through the domain layer's
``coerce_figure``) and then handed to the service functions, which own every change.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from qualityfund.core.applications.models import Application, StateChange
from qualityfund.core.applications.states import EDITABLE, WITHDRAWABLE
from qualityfund.core.documents.application_form import STATUS_LABELS
from qualityfund.core.guides.models import Guide
from qualityfund.domain.selfcheck import coerce_figure

from .common import LabelledErrors, OptionalDistrictField, text_field
from .materials import MaterialFileSerializer


def _url(context, name: str, *args) -> str:
    return reverse(f"api:{name}", args=args, request=context.get("request"))


class OrganisationBriefSerializer(serializers.Serializer):
    """The applying organisation, by name and credit code as submitted (申报时快照)."""

    id = serializers.IntegerField(source="organisation_id")
    name = serializers.CharField(source="organisation_as_submitted.name")
    credit_code = serializers.CharField(source="organisation_as_submitted.credit_code")


class ApplicationListSerializer(serializers.ModelSerializer):
    """An application in brief."""

    guide = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    subprogramme_name = serializers.SerializerMethodField(help_text="子项目名称")
    public_state = serializers.CharField(read_only=True, help_text="申请人看到的状态名称")
    url = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = ("id", "url", "guide", "subprogramme", "subprogramme_name", "project_name",
                  "number", "state", "public_state", "submitted_at", "created_at",
                  "updated_at")

    def get_subprogramme_name(self, application) -> str:
        return application.spec.name

    def get_url(self, application) -> str:
        return _url(self.context, "application-detail", application.pk)


class ApplicationSerializer(ApplicationListSerializer):
    """Everything about one application, with its current material files."""

    guide_title = serializers.CharField(source="guide.title", read_only=True)
    organisation = OrganisationBriefSerializer(source="*", read_only=True)
    implementation_district = OptionalDistrictField(label="项目实施地", read_only=True)
    requested_amount_cap = serializers.SerializerMethodField(
        help_text="指南规定的最高资助金额（元）；固定或分等次资助时为 null")
    materials = serializers.SerializerMethodField(help_text="当前（未被替换）的材料文件")
    form_pdf = serializers.SerializerMethodField(help_text="提交后自动生成的申请表的下载地址")
    editable = serializers.SerializerMethodField(help_text="草稿可修改")
    withdrawable = serializers.SerializerMethodField(help_text="受理前可撤回")

    class Meta(ApplicationListSerializer.Meta):
        fields = (
            *ApplicationListSerializer.Meta.fields, "guide_title", "organisation",
            "summary", "implementation_district", "started_on", "requested_amount",
            "requested_amount_cap", "contact_name", "contact_phone", "figures", "self_check",
            "materials", "form_pdf", "form_sha256", "editable", "withdrawable",
        )

    def get_requested_amount_cap(self, application) -> int | None:
        return application.spec.funding.cap

    @extend_schema_field(MaterialFileSerializer(many=True))
    def get_materials(self, application) -> list:
        files = application.material_files.current().select_related("uploaded_by")
        return MaterialFileSerializer(files, many=True, context={
            **self.context, "spec": application.spec}).data

    @extend_schema_field(OpenApiTypes.URI)
    def get_form_pdf(self, application) -> str | None:
        if not application.form_pdf:
            return None
        return _url(self.context, "application-form-pdf", application.pk)

    def get_editable(self, application) -> bool:
        return application.state in EDITABLE

    def get_withdrawable(self, application) -> bool:
        return application.state in WITHDRAWABLE


class ApplicationCreateSerializer(LabelledErrors, serializers.Serializer):
    """选择办理情形: a guide and one of its sub-programmes."""

    guide = serializers.SlugRelatedField(
        slug_field="slug", queryset=Guide.objects.all(), label="申报指南",
        error_messages={"does_not_exist": "申报指南“{value}”不存在"})
    subprogramme = serializers.CharField(label="子项目")

    def validate(self, attrs):
        guide, key = attrs["guide"], attrs["subprogramme"]
        keys = [sub.key for sub in guide.spec.subprogrammes]
        if key not in keys:
            raise serializers.ValidationError({"subprogramme": [
                f"子项目：“{guide}”没有子项目“{key}”，可选：{'、'.join(keys)}"]})
        return attrs


def _raw_figure(value) -> str:
    """A figure as the form would send it; JSON numbers and booleans become its words."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, str)):
        return str(value)
    raise ValueError("须为文本、数字或是/否")


class ApplicationUpdateSerializer(LabelledErrors, serializers.Serializer):
    """A partial save of a draft: any common fields, and figures by the guide's keys.

    Empty values are kept (a draft may be incomplete): the self-check reports what is missing.
    """

    # context["application"] is the draft; its sub-programme gives the cap and the figures.

    project_name = text_field(Application, "project_name", required=False, allow_blank=True)
    summary = text_field(Application, "summary", required=False, allow_blank=True)
    implementation_district = OptionalDistrictField(label="项目实施地", required=False)
    started_on = serializers.DateField(label="项目开始日期", required=False, allow_null=True)
    requested_amount = serializers.IntegerField(label="申请资助金额（元）", min_value=1,
                                                required=False, allow_null=True)
    contact_name = text_field(Application, "contact_name", required=False, allow_blank=True)
    contact_phone = text_field(Application, "contact_phone", required=False, allow_blank=True)
    figures = serializers.DictField(
        label="申报指标", required=False,
        help_text="按指南的指标键填报，如 {\"smes_served\": 35}；值为文本、数字或 true/false")

    def validate_requested_amount(self, value):
        cap = self.context["application"].spec.funding.cap
        if value is None:
            return value
        if cap is None:
            raise serializers.ValidationError(
                "本子项目的资助金额由指南确定（定额或分等次），无需填写申请资助金额")
        if value > cap:
            raise serializers.ValidationError(
                f"不能超过指南规定的最高资助金额 {cap} 元（{cap // 10000}万元）")
        return value

    def validate_figures(self, value: dict) -> dict:
        spec = self.context["application"].spec
        known = {figure.key: figure for figure in spec.figures}
        cleaned, errors = {}, {}
        for key, given in value.items():
            figure = known.get(key)
            if figure is None:
                errors[key] = [f"本子项目（{spec.name}）没有指标“{key}”"]
                continue
            try:
                raw = _raw_figure(given)
                if raw.strip():
                    coerce_figure(figure, raw)
            except ValueError as exc:
                message = str(exc)
                errors[key] = [message if figure.label in message
                               else f"「{figure.label}」{message}"]
                continue
            cleaned[key] = raw
        if errors:
            raise serializers.ValidationError(errors)
        return cleaned


class WithdrawSerializer(LabelledErrors, serializers.Serializer):
    """撤回: the applicant's reason, shown on the timeline."""

    reason = serializers.CharField(label="撤回原因", max_length=500, required=False,
                                   allow_blank=True, default="")


class TimelineEntrySerializer(serializers.ModelSerializer):
    """One step of the application's progress, by its public name."""

    state = serializers.CharField(source="to_state")
    public_name = serializers.CharField()
    by = serializers.SerializerMethodField(help_text="操作人；系统操作时为 null")

    class Meta:
        model = StateChange
        fields = ("state", "public_name", "at", "by", "note")

    def get_by(self, change) -> str | None:
        return change.by.display() if change.by else None


class CheckResultSerializer(serializers.Serializer):
    """One condition of the self-check and whether it is met."""

    condition_id = serializers.CharField()
    clause = serializers.CharField(help_text="指南条款")
    text = serializers.CharField(help_text="条件原文")
    status = serializers.ChoiceField(choices=list(STATUS_LABELS.items()))
    blocking = serializers.BooleanField(help_text="未满足时不能提交")
    reason = serializers.CharField()


class SelfCheckSerializer(serializers.Serializer):
    """The self-check: what blocks submission, and every result."""

    passes = serializers.BooleanField(help_text="没有未满足的阻断性条件，可以提交")
    blocking = CheckResultSerializer(many=True)
    results = CheckResultSerializer(many=True)
    counts = serializers.DictField(child=serializers.IntegerField())
