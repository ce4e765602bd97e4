"""Open a PDF or an image as a sequence of pages with the facts the checks need.

Every decoder here is given a ceiling before it decodes: page count, image pixel count and
render size are read from headers first, so a hostile file is refused instead of expanded.
"""

import math
import warnings
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import pypdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image, ImageOps

MAX_IMAGE_PIXELS = 80_000_000   # an A3 page scanned at 600 dpi is 70 megapixels
MAX_RENDER_SIDE = 2400          # pixels; bounds memory however large a page claims to be
MAX_OBJECTS_PER_PAGE = 5000     # page objects walked when looking for the scanned image
MAX_ANGLE_CHARS = 3000          # characters sampled for the direction of the text layer
SCAN_COVERAGE = 0.5             # an image over half the page makes it a scanned page
A4_SHORT_SIDE_IN = 8.27
POINTS_PER_INCH = 72.0


class Unreadable(Exception):
    """The file cannot be opened safely; the message is the finding shown to the applicant."""


@dataclass
class Page:
    """One page as a viewer displays it (``/Rotate`` applied)."""

    number: int                      # 1-based
    width_in: float
    height_in: float
    rotation: int                    # the page's /Rotate, clockwise degrees
    text: str                        # text layer; "" for scans and images
    text_angle: int | None           # clockwise angle of the text layer's lines as displayed
    scan_dpi: float | None           # effective resolution of the image covering the page
    oversized_image: int | None      # pixel count of an embedded image too large to decode
    render: Callable[[float], np.ndarray]  # BGR pixels at the given dpi

    @property
    def is_landscape(self) -> bool:
        return self.width_in > self.height_in * 1.05


@dataclass
class Document:
    kind: str
    page_count: int
    pages: Callable[[], Iterator[Page]]
    restricted: bool = False  # opens without a password but carries an owner password


def _render_scale(width_in: float, height_in: float, dpi: float) -> float:
    longest = max(width_in, height_in, 1e-3) * dpi
    return dpi / POINTS_PER_INCH * min(1.0, MAX_RENDER_SIDE / longest)


def _text_angle(textpage: pdfium.PdfTextPage, char_count: int, rotation: int) -> int | None:
    """Dominant direction of the characters, snapped to quarter turns, plus /Rotate."""
    votes: Counter[int] = Counter()
    step = max(1, char_count // MAX_ANGLE_CHARS)
    for index in range(0, char_count, step):
        if pdfium_c.FPDFText_IsGenerated(textpage.raw, index) == 1:
            continue
        if chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, index)).isspace():
            continue
        radians = pdfium_c.FPDFText_GetCharAngle(textpage.raw, index)
        if radians < 0:
            continue
        votes[round(math.degrees(radians) / 90) % 4 * 90] += 1
    if not votes:
        return None
    angle, _ = votes.most_common(1)[0]
    return (angle + rotation) % 360


def _scan_facts(page: pdfium.PdfPage, area_pt: float) -> tuple[float | None, int | None]:
    """Effective dpi of the largest image covering the page, and any undecodably large image."""
    best_cover, best_dpi, oversized = 0.0, None, None
    objects = page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE])
    for count, image in enumerate(objects):
        if count >= MAX_OBJECTS_PER_PAGE:
            break
        px_w, px_h = image.get_px_size()
        if px_w * px_h > MAX_IMAGE_PIXELS:
            oversized = max(oversized or 0, px_w * px_h)
        left, bottom, right, top = image.get_bounds()
        placed = abs(right - left) * abs(top - bottom)
        if placed <= 0 or px_w * px_h <= 0:
            continue
        cover = placed / area_pt
        if cover > best_cover:
            best_cover = cover
            best_dpi = math.sqrt(px_w * px_h / placed) * POINTS_PER_INCH
    return (best_dpi if best_cover >= SCAN_COVERAGE else None), oversized


def _pdf_pages(pdf: pdfium.PdfDocument) -> Iterator[Page]:
    for index in range(len(pdf)):
        page = pdf[index]
        try:
            width_pt, height_pt = page.get_size()
            rotation = page.get_rotation() % 360
            textpage = page.get_textpage()
            try:
                chars = textpage.count_chars()
                text = textpage.get_text_range() if chars else ""
                angle = _text_angle(textpage, chars, rotation) if text.strip() else None
            finally:
                textpage.close()
            dpi, oversized = _scan_facts(page, max(width_pt * height_pt, 1.0))
            width_in, height_in = width_pt / POINTS_PER_INCH, height_pt / POINTS_PER_INCH

            def render(dpi_wanted: float, page=page, w=width_in, h=height_in) -> np.ndarray:
                bitmap = page.render(scale=_render_scale(w, h, dpi_wanted))
                return np.array(bitmap.to_numpy()[:, :, :3])

            yield Page(index + 1, width_in, height_in, rotation, text, angle, dpi, oversized,
                       render)
        finally:
            page.close()


def _why_unopenable(path: str) -> str:
    """PDFium refuses encrypted, empty and broken files alike (and its error code is a
    process-wide "last error" that may be stale), so ask pypdf which one it is."""
    broken = "PDF文件已损坏或格式不正确，无法打开，请重新导出后上传"
    try:
        reader = pypdf.PdfReader(path, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            return "文件已加密，无法读取，请上传未加密的PDF"
        return "文件没有任何页面，请重新导出后上传" if len(reader.pages) == 0 else broken
    except Exception:  # noqa: BLE001 — any failure here means the file is broken
        return broken


@contextmanager
def _open_pdf(path: str) -> Iterator[Document]:
    try:
        pdf = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as error:
        raise Unreadable(_why_unopenable(path)) from error
    try:
        restricted = pdfium_c.FPDF_GetSecurityHandlerRevision(pdf.raw) != -1
        yield Document("pdf", len(pdf), lambda: _pdf_pages(pdf), restricted)
    finally:
        pdf.close()


def _load_image(path: str) -> tuple[Image.Image, tuple[int, int]]:
    """Decode an upload as a viewer shows it (EXIF orientation applied), refusing bombs.

    Returns the image, reduced while decoding where the format allows, and its full size.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                size = image.size
                if size[0] * size[1] > MAX_IMAGE_PIXELS:
                    raise Unreadable(
                        f"图片尺寸过大（{size[0]}×{size[1]}像素），"
                        f"超过{MAX_IMAGE_PIXELS // 10_000}万像素的检查上限，"
                        "疑似异常文件，请压缩后重新上传")
                side = round(A4_SHORT_SIDE_IN * 300)
                image.draft("RGB", (side, side))
                return ImageOps.exif_transpose(image).convert("RGB"), size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise Unreadable(
            "图片尺寸过大，超过检查上限，疑似异常文件（解压炸弹），请压缩后重新上传") from error
    except (OSError, SyntaxError, ValueError) as error:
        raise Unreadable("图片文件已损坏或格式不正确，无法打开") from error


@contextmanager
def _open_image(path: str, kind: str) -> Iterator[Document]:
    # An image upload has no paper size; judge it as an A4 page across its short side.
    image, size = _load_image(path)
    short = min(image.size)
    width_in = A4_SHORT_SIDE_IN * image.width / short
    height_in = A4_SHORT_SIDE_IN * image.height / short
    dpi = min(size) / A4_SHORT_SIDE_IN

    def render(dpi_wanted: float) -> np.ndarray:
        pixels_per_inch = _render_scale(width_in, height_in, dpi_wanted) * POINTS_PER_INCH
        target = (max(1, round(width_in * pixels_per_inch)),
                  max(1, round(height_in * pixels_per_inch)))
        resized = image.resize(target, Image.Resampling.LANCZOS)
        return np.ascontiguousarray(np.asarray(resized)[:, :, ::-1])

    page = Page(1, width_in, height_in, 0, "", None, dpi, None, render)
    try:
        yield Document(kind, 1, lambda: iter([page]))
    finally:
        image.close()


@contextmanager
def open_document(path: str, kind: str) -> Iterator[Document]:
    """Open ``path`` already sniffed as ``kind`` ("pdf", "jpg" or "png"); raise ``Unreadable``."""
    opener = _open_pdf(path) if kind == "pdf" else _open_image(path, kind)
    with opener as document:
        yield document
