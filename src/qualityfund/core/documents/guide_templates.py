"""The guide's attachments, ready to fill in: 附件1 承诺书 and the report templates 附件2–7.

Both formats are drawn from one list of blocks built from the guide's data, so the PDF and
the DOCX an applicant downloads always say the same thing. The organisation's name is filled
in where the document names the signing unit; everything else is the guide's own words.
"""

from dataclasses import dataclass
from typing import Literal

from .docx_writer import write_docx
from .pdf import render_pdf

Kind = Literal[
    "attachment",  # 附件N, top left
    "title",  # Heading 1
    "subtitle",  # （模板）/（适用申领单位）
    "unit",  # 申领单位：<name>
    "intro",
    "heading",  # Heading 2: a dimension or a section
    "subheading",  # Heading 3: a dimension under a section (附件7 （一）领导)
    "paragraph",
    "item",
    "subitem",
    "note",
    "requirement",  # 最低绩效要求
    "closing",
    "signature",  # lines 法定代表人签名：/承诺日期：/（单位盖章）
    "footer",  # lines 申报单位（盖章）：<name> / 日期：  年  月  日
    "notes-label",  # 注：
]


@dataclass(frozen=True)
class Block:
    kind: Kind
    text: str
    number: str = ""

    @property
    def lines(self) -> list[str]:
        """A signature or footer block is several lines that must stay on one page."""
        return self.text.split("\n")


# The letter speaks of 本单位 (廉洁承诺书 is "适用申领单位"); this line says which unit that is.
PLEDGE_UNIT_LABEL = "申领单位："
SEALING_UNIT = "申报单位（盖章）："


def render_template_pdf(guide_spec, template_key: str, organisation_name: str) -> bytes:
    template = guide_spec.template(template_key)
    return render_pdf("documents/guide_template.html", {
        "document_title": document_title(template),
        "pages": pages(template, organisation_name),
    })


def render_template_docx(guide_spec, template_key: str, organisation_name: str) -> bytes:
    template = guide_spec.template(template_key)
    return write_docx(document_title(template), pages(template, organisation_name))


def document_title(template) -> str:
    return f"{template.attachment} {template.title}{template.subtitle or ''}"


def pages(template, organisation_name: str) -> list[list[Block]]:
    """The template as pages of blocks; each part of a letter starts a new page."""
    if template.parts:
        found = [_part(part, organisation_name) for part in template.parts]
        found[0].insert(0, Block("attachment", template.attachment))
        return found
    return [_report(template, organisation_name)]


def _part(part, organisation_name: str) -> list[Block]:
    blocks = [Block("title", part.title)]
    if part.subtitle:
        blocks.append(Block("subtitle", part.subtitle))
    blocks.append(Block("unit", f"{PLEDGE_UNIT_LABEL}{organisation_name}"))
    blocks += [Block("paragraph", text) for text in part.paragraphs]
    for item in part.items:
        blocks.append(Block("item", item.text, item.number or ""))
        blocks += [Block("subitem", sub.text, sub.number or "") for sub in item.items]
    blocks += [Block("closing", text) for text in part.closing]
    if part.signature:
        blocks.append(Block("signature", "\n".join(part.signature)))
    return blocks


def _report(template, organisation_name: str) -> list[Block]:
    blocks = [Block("attachment", template.attachment), Block("title", template.title)]
    if template.subtitle:
        blocks.append(Block("subtitle", template.subtitle))
    if template.intro:
        blocks.append(Block("intro", template.intro))
    for section in template.sections:
        blocks.append(Block("heading", section.title, section.number))
        if section.note:
            blocks.append(Block("note", section.note))
    dimension_kind = "subheading" if template.sections else "heading"
    for dimension in template.dimensions:
        blocks.append(Block(dimension_kind, dimension.title, dimension.number or ""))
        if dimension.text:
            blocks.append(Block("paragraph", dimension.text))
        blocks += [Block("item", _item_text(item), item.number) for item in dimension.items]
    # 附件3 prints its 最低绩效要求 as the text of a dimension; say it once only.
    printed = {dimension.text for dimension in template.dimensions}
    if template.min_requirement and template.min_requirement not in printed:
        blocks.append(Block("requirement", template.min_requirement))
    if template.footer:
        lines = [_footer_line(line, organisation_name) for line in template.footer]
        blocks.append(Block("footer", "\n".join(lines)))
    if template.notes:
        # The guide prints the 注 after the sealing lines (附件5, 附件7); so does this.
        blocks.append(Block("notes-label", "注："))
        blocks += [Block("note", note) for note in template.notes]
    return blocks


def _item_text(item) -> str:
    if item.title and item.text:
        return f"{item.title}：{item.text}"
    return item.title or item.text


def _footer_line(line: str, organisation_name: str) -> str:
    return f"{line}{organisation_name}" if line.startswith(SEALING_UNIT) else line
