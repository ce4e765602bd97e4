"""Material previews, served only through a view that checks who asks."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from qualityfund.core.common import audit
from qualityfund.core.review import previews

from .applications import get_application


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    return response


@login_required
@require_safe
def preview(request, pk, file_pk):
    """One page of a PDF as PNG (``?page=N``), or an uploaded image as it is."""
    application = get_application(request, pk)
    material_file = get_object_or_404(application.material_files, pk=file_pk)
    try:
        if material_file.file_type in previews.IMAGE_TYPES:
            data, content_type = previews.image_bytes(material_file)
        else:
            page = int(request.GET.get("page", "1")) if request.GET.get(
                "page", "1").isdigit() else 0
            data, content_type = previews.page_png(material_file, page), "image/png"
    except previews.NotPreviewable as exc:
        return HttpResponse(str(exc), status=409, content_type="text/plain; charset=utf-8")
    audit.access(request, "download", material_file, file=material_file.original_name,
                 preview=request.GET.get("page", "1"))
    return _private(HttpResponse(data, content_type=content_type))
