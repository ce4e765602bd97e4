"""In-page previews of materials for staff: PDF pages rendered to PNG on the server.

Only files the background inspection has opened safely are rendered (a hostile file is
handled in a bounded child there, not here). Rendered pages are cached in the private
storage under the file's SHA-256, so each page is drawn once; they are served only through
a view that checks who asks, never from a public URL.
"""

import io

import pypdfium2
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from qualityfund.core.applications.models import MaterialFile

PREVIEW_DPI = 90
MAX_SIDE_PX = 2000  # a poster-sized page is scaled down, not rendered at full size
MAX_PREVIEW_PAGES = 40
IMAGE_TYPES = {"jpg": "image/jpeg", "png": "image/png"}


class NotPreviewable(Exception):
    """The file cannot be shown in the page; the message says why, in Chinese."""


def previewable(material_file: MaterialFile) -> str | None:
    """None when the file can be previewed, otherwise the reason it cannot."""
    if material_file.file_type not in ("pdf", *IMAGE_TYPES):
        return f"{material_file.file_type.upper()}文件不提供页面预览，请下载查看"
    if material_file.inspection == MaterialFile.Inspection.PENDING:
        return "自动检查完成后可预览"
    if any(f.get("check") == "readable" and f.get("status") == "fail"
           for f in material_file.findings):
        return "文件未通过可读性检查，无法预览"
    return None


def _require_previewable(material_file: MaterialFile) -> None:
    reason = previewable(material_file)
    if reason:
        raise NotPreviewable(reason)


def _read(material_file: MaterialFile) -> bytes:
    with material_file.file.open("rb") as handle:
        return handle.read()


def page_count(material_file: MaterialFile) -> int:
    """Pages of a PDF (1 for an image), cached by content hash."""
    _require_previewable(material_file)
    if material_file.file_type in IMAGE_TYPES:
        return 1
    key = f"preview-pages:{material_file.sha256}"
    count = cache.get(key)
    if count is None:
        document = pypdfium2.PdfDocument(_read(material_file))
        try:
            count = len(document)
        finally:
            document.close()
        cache.set(key, count, 24 * 3600)
    return count


def _render(data: bytes, page_number: int) -> bytes:
    document = pypdfium2.PdfDocument(data)
    try:
        if not 1 <= page_number <= len(document):
            raise NotPreviewable(f"文件没有第{page_number}页")
        page = document[page_number - 1]
        width, height = page.get_size()
        scale = min(PREVIEW_DPI / 72, MAX_SIDE_PX / max(width, height, 1))
        image = page.render(scale=scale).to_pil().convert("RGB")
        page.close()
    finally:
        document.close()
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def page_png(material_file: MaterialFile, page_number: int) -> bytes:
    """The PNG of one page, from the cache or freshly rendered."""
    _require_previewable(material_file)
    if not 1 <= page_number <= min(page_count(material_file), MAX_PREVIEW_PAGES):
        raise NotPreviewable(f"第{page_number}页不在预览范围内")
    name = f"previews/{material_file.sha256}/{PREVIEW_DPI}-{page_number}.png"
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as handle:
            return handle.read()
    png = _render(_read(material_file), page_number)
    default_storage.save(name, ContentFile(png))
    return png


def image_bytes(material_file: MaterialFile) -> tuple[bytes, str]:
    """An uploaded image, as stored, with its content type."""
    _require_previewable(material_file)
    return _read(material_file), IMAGE_TYPES[material_file.file_type]
