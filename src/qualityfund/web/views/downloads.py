"""The pledge letter and report templates, filled with the organisation's name."""

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_safe

from qualityfund.core.common import audit
from qualityfund.core.documents.guide_templates import render_template_docx, render_template_pdf

from .applications import get_application

RENDERERS = {
    "pdf": (render_template_pdf, "application/pdf"),
    "docx": (render_template_docx,
             "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
}


@login_required
@require_safe
def template_download(request, pk, key, fmt):
    application = get_application(request, pk)
    allowed = {"pledge", application.spec.report_template}
    if key not in allowed or fmt not in RENDERERS:
        raise Http404("没有该模板")
    render, content_type = RENDERERS[fmt]
    spec = application.guide.spec
    content = render(spec, key, application.organisation.name)
    template = spec.template(key)
    audit.access(request, "download", application, file=f"{template.attachment}.{fmt}")
    response = HttpResponse(content, content_type=content_type)
    filename = f"{template.attachment}-{template.title}-{application.organisation.name}.{fmt}"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
