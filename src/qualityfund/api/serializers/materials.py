"""Material files: every version, with the automatic findings."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from qualityfund.core.applications.models import MaterialFile

from .common import LabelledErrors


class MaterialFileSerializer(serializers.ModelSerializer):
    """One uploaded file of a material, current or superseded, with its automatic findings."""

    # context["spec"], the application's sub-programme, gives the material's title.

    material = serializers.CharField(source="material_key")
    material_title = serializers.SerializerMethodField()
    uploaded_by = serializers.SerializerMethodField()
    superseded = serializers.SerializerMethodField(help_text="已被替换或移除（仍保留记录）")
    inspection_label = serializers.CharField(source="get_inspection_display")
    findings = serializers.JSONField(help_text="自动检查发现的问题")
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = MaterialFile
        fields = ("id", "material", "material_title", "original_name", "file_type", "size",
                  "sha256", "uploaded_at", "uploaded_by", "superseded", "superseded_at",
                  "replaces", "inspection", "inspection_label", "findings", "download_url")
        read_only_fields = fields

    def get_material_title(self, material_file) -> str:
        spec = self.context.get("spec")
        try:
            return spec.material(material_file.material_key).title if spec else ""
        except KeyError:
            return ""

    def get_uploaded_by(self, material_file) -> str:
        return material_file.uploaded_by.display()

    def get_superseded(self, material_file) -> bool:
        return material_file.superseded_at is not None

    @extend_schema_field(OpenApiTypes.URI)
    def get_download_url(self, material_file) -> str:
        return reverse("api:material-download",
                       args=[material_file.application_id, material_file.pk],
                       request=self.context.get("request"))


@extend_schema_field({"type": "string", "format": "binary"})
class UploadField(serializers.FileField):
    """A file in a multipart request."""


class MaterialUploadSerializer(LabelledErrors, serializers.Serializer):
    """A file for one material slot (multipart/form-data)."""

    material = serializers.CharField(label="材料", help_text="材料的键，如 pledge、report")
    file = UploadField(label="文件", allow_empty_file=True,
                                 help_text="文件类型按内容识别；为空或超过大小上限的文件不予接收")
