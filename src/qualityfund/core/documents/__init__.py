"""Generated documents: the 申请表 PDF and the guide's attachments as PDF and DOCX.

Not a Django app: the templates are loaded by the package's own engine (see ``pdf``).
"""

from .application_form import render_application_form
from .fonts import cjk_font_path
from .guide_templates import render_template_docx, render_template_pdf

__all__ = [
    "cjk_font_path",
    "render_application_form",
    "render_template_docx",
    "render_template_pdf",
]
