"""Blocks of a guide attachment as a Word document applicants can fill in.

Word picks the font of Chinese characters from ``w:eastAsia`` of ``w:rFonts``, not from the
font name python-docx sets; without it Chinese falls back to whatever face the machine
prefers. Headings use real Heading styles so the navigation pane shows the outline.
"""

from io import BytesIO

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from .fonts import DOCX_BODY_FONT, DOCX_HEADING_FONT

LATIN_FONT = "Times New Roman"
# kind → (style, size in pt, alignment, first-line indent in characters, left indent in cm)
LAYOUT = {
    "attachment": ("Normal", 14, None, 0, 0),
    "title": ("Heading 1", 20, WD_ALIGN_PARAGRAPH.CENTER, 0, 0),
    "subtitle": ("Normal", 12, WD_ALIGN_PARAGRAPH.CENTER, 0, 0),
    "unit": ("Normal", 12, None, 0, 0),
    "intro": ("Normal", 12, None, 2, 0),
    "heading": ("Heading 2", 14, None, 0, 0),
    "subheading": ("Heading 3", 12.5, None, 0, 0),
    "paragraph": ("Normal", 12, None, 2, 0),
    "item": ("Normal", 12, None, 2, 0),
    "subitem": ("Normal", 12, None, 4, 0),
    "note": ("Normal", 10.5, None, 2, 0),
    "notes-label": ("Normal", 12, None, 0, 0),
    "requirement": ("Normal", 11, None, 0, 0),
    "closing": ("Normal", 12, None, 2, 0),
    "signature": ("Normal", 12, None, 0, 7.5),
    "footer": ("Normal", 12, None, 0, 7.5),
}
BOLD = {"attachment", "unit", "notes-label"}
LINED = {"signature", "footer"}


def write_docx(title: str, pages) -> bytes:
    document = Document()
    document.core_properties.title = title
    _page_setup(document)
    _styles(document)
    for index, page in enumerate(pages):
        for position, block in enumerate(page):
            first = _add(document, block)
            first.paragraph_format.page_break_before = bool(index and not position) or None
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def _add(document, block):
    """The block's paragraphs (a signature has one per line); returns the first."""
    style, size, alignment, indent_chars, left_cm = LAYOUT[block.kind]
    lines = block.lines if block.kind in LINED else [f"{block.number}{block.text}"]
    paragraphs = []
    for line in lines:
        paragraph = document.add_paragraph(style=style)
        run = paragraph.add_run(line)
        run.font.size = Pt(size)
        run.bold = block.kind in BOLD or None
        fmt = paragraph.paragraph_format
        if alignment is not None:
            fmt.alignment = alignment
        if indent_chars:
            fmt.first_line_indent = Pt(size * indent_chars)
        if left_cm:
            fmt.left_indent = Cm(left_cm)
        if block.kind in LINED:
            fmt.space_before = Pt(12)
            fmt.keep_with_next = True
        paragraphs.append(paragraph)
    if block.kind in LINED:
        paragraphs[0].paragraph_format.space_before = Pt(30)
        paragraphs[-1].paragraph_format.keep_with_next = None
    return paragraphs[0]


def _page_setup(document) -> None:
    section = document.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2.5)
    section.left_margin = section.right_margin = Cm(2.5)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for piece in ("第 ", "PAGE", " 页 共 ", "NUMPAGES", " 页"):
        if piece.isupper():
            _field(footer, piece)
        else:
            _font(footer.add_run(piece), DOCX_BODY_FONT).font.size = Pt(9)


def _field(paragraph, instruction: str) -> None:
    """A PAGE/NUMPAGES field, which Word fills in when it lays out the pages."""
    run = paragraph.add_run()
    run.font.size = Pt(9)
    for kind, text in (("begin", None), (None, instruction), ("separate", None),
                       (None, "1"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text == instruction:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {instruction} "
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._r.append(element)


def _styles(document) -> None:
    normal = document.styles["Normal"]
    _font(normal, DOCX_BODY_FONT).font.size = Pt(12)
    normal.paragraph_format.line_spacing = 1.5
    normal.paragraph_format.space_after = Pt(0)
    for name in ("Heading 1", "Heading 2", "Heading 3"):
        style = document.styles[name]
        _font(style, DOCX_HEADING_FONT)
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.font.bold = False
        style.font.italic = False
        style.paragraph_format.space_before = Pt(12)
        style.paragraph_format.space_after = Pt(6)


def _font(target, east_asian: str):
    """Set Latin and East-Asian faces and mark the text zh-CN; theme fonts would override."""
    target.font.name = LATIN_FONT
    r_pr = target.element.get_or_add_rPr()
    r_fonts = r_pr.get_or_add_rFonts()
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        r_fonts.attrib.pop(qn(attribute), None)
    r_fonts.set(qn("w:eastAsia"), east_asian)
    language = r_pr.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        r_pr.append(language)
    language.set(qn("w:eastAsia"), "zh-CN")
    return target
