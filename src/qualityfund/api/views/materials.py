"""``/api/v1/applications/{id}/materials/``: upload, list every version, download, remove."""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from qualityfund.core.applications import services
from qualityfund.core.applications.limits import largest_material_limit
from qualityfund.core.common import audit
from qualityfund.core.common.downloads import file_download
from qualityfund.core.common.uploads import upload_limit

from ..access import get_application
from ..negotiation import FileDownloadNegotiation
from ..serializers.materials import MaterialFileSerializer, MaterialUploadSerializer
from .applications import READ_REFUSALS, REFUSALS

TAGS = ["materials"]


def _material_file(application, file_id):
    try:
        return application.material_files.select_related("uploaded_by").get(pk=file_id)
    except application.material_files.model.DoesNotExist:
        raise Http404("没有找到该材料文件") from None


def _context(request, application) -> dict:
    return {"request": request, "spec": application.spec}


@upload_limit(lambda request, pk: largest_material_limit())
class MaterialListView(APIView):
    parser_classes = (MultiPartParser, FormParser)

    @extend_schema(tags=TAGS, summary="全部材料文件（含已被替换的版本）",
                   responses={200: MaterialFileSerializer(many=True), **READ_REFUSALS})
    def get(self, request, pk):
        application = get_application(request, pk)
        files = application.material_files.select_related("uploaded_by").order_by(
            "material_key", "uploaded_at", "id")
        return Response(MaterialFileSerializer(
            files, many=True, context=_context(request, application)).data)

    @extend_schema(tags=TAGS, summary="上传一份材料文件", request={
        "multipart/form-data": MaterialUploadSerializer},
        responses={201: MaterialFileSerializer, **REFUSALS})
    def post(self, request, pk):
        application = get_application(request, pk, "applications.change_application")
        given = MaterialUploadSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        record = services.upload_material(application, given.validated_data["material"],
                                          given.validated_data["file"], by=request.user)
        return Response(MaterialFileSerializer(record, context=_context(request, application)
                                               ).data, status=status.HTTP_201_CREATED)


class MaterialDetailView(APIView):
    @extend_schema(tags=TAGS, summary="一份材料文件及其自动检查结果",
                   responses={200: MaterialFileSerializer, **READ_REFUSALS})
    def get(self, request, pk, file_id):
        application = get_application(request, pk)
        return Response(MaterialFileSerializer(
            _material_file(application, file_id), context=_context(request, application)).data)

    @extend_schema(tags=TAGS, summary="从草稿中移除文件（记录保留，标记为已替换）",
                   responses={204: None, **REFUSALS})
    def delete(self, request, pk, file_id):
        application = get_application(request, pk, "applications.change_application")
        material_file = _material_file(application, file_id)
        if material_file.superseded_at is not None:
            raise Http404("该文件已被替换或移除")
        services.remove_material_file(material_file, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MaterialDownloadView(APIView):
    content_negotiation_class = FileDownloadNegotiation

    @extend_schema(tags=TAGS, summary="下载材料文件", responses={
        (200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY,
                                                           description="文件内容"),
        **READ_REFUSALS})
    def get(self, request, pk, file_id):
        material_file = _material_file(get_application(request, pk), file_id)
        audit.access(request, "download", material_file, file=material_file.original_name)
        return file_download(material_file.file, name=material_file.original_name,
                             kind=material_file.file_type)
