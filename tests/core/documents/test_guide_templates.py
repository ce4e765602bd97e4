import io

import pytest
from docx import Document
from docx.oxml.ns import qn

from qualityfund.core.documents import (
    cjk_font_path,
    render_template_docx,
    render_template_pdf,
)
from qualityfund.domain.guide import GUIDE_2025, load_guide

from .conftest import pdf_text

ORG = "深圳市甲质量科技有限公司"
REPORTS = ["report-qi-service", "report-gba", "report-brand", "report-innovation",
           "report-digital", "report-incubation"]


@pytest.fixture(scope="module")
def spec():
    return load_guide(GUIDE_2025)


def squeeze(text: str) -> str:
    return "".join(text.split())


def docx_paragraphs(data: bytes):
    return Document(io.BytesIO(data)).paragraphs


def test_the_pledge_has_both_letters_each_on_its_own_page_filled_for_the_unit(spec):
    pages = pdf_text(render_template_pdf(spec, "pledge", ORG))
    assert len(pages) == 2
    integrity, compliance = pages
    assert integrity.startswith("附件1廉洁承诺书（适用申领单位）")
    assert compliance.startswith("合规承诺书")
    for page in pages:
        assert f"申领单位：{ORG}" in page
        assert "法定代表人签名：承诺日期：（单位盖章）" in page
    assert "不利用有偿中介机构违规申报项目；" in integrity
    assert "（8）法律法规规定的其他不予资助情形。" in compliance
    assert "特此承诺。" in compliance


@pytest.mark.parametrize("key", REPORTS)
def test_a_report_template_pdf_has_every_heading_and_item(spec, key):
    template = spec.template(key)
    text = "".join(pdf_text(render_template_pdf(spec, key, ORG)))
    assert text.startswith(f"{template.attachment}{template.title}（模板）")
    for dimension in template.dimensions:
        assert squeeze(f"{dimension.number or ''}{dimension.title}") in text
        for item in dimension.items:
            assert squeeze(f"{item.number}{item.title or item.text}") in text
    for note in template.notes:
        assert squeeze(note) in text
    assert f"申报单位（盖章）：{ORG}" in text
    assert "日期：年月日" in text


def test_the_incubation_template_has_its_sections_18_items_and_the_length_limit(spec):
    text = "".join(pdf_text(render_template_pdf(spec, "report-incubation", ORG)))
    for heading in ("一、组织简介", "二、质量管理制度、模式或方法简介", "三、自评情况"):
        assert heading in text
    assert "（不超过25字）" in text
    assert len(spec.template("report-incubation").items()) == 18
    assert "18.高质量运营的结果" in text
    assert "1.报告字数限3万字以内。" in text


def test_the_gba_minimum_requirement_is_printed_once(spec):
    text = "".join(pdf_text(render_template_pdf(spec, "report-gba", ORG)))
    assert text.count("最低绩效要求：参与方覆盖大湾区范围内不少于5地") == 1


@pytest.mark.parametrize("key", ["pledge", *REPORTS])
def test_the_docx_uses_heading_styles(spec, key):
    template = spec.template(key)
    paragraphs = docx_paragraphs(render_template_docx(spec, key, ORG))
    titles = [p.text for p in paragraphs if p.style.name == "Heading 1"]
    if template.parts:
        assert titles == [part.title for part in template.parts]
    else:
        assert titles == [template.title]
        headings = [p.text for p in paragraphs if p.style.name in {"Heading 2", "Heading 3"}]
        expected = [f"{s.number}{s.title}" for s in template.sections]
        expected += [f"{d.number or ''}{d.title}" for d in template.dimensions]
        assert headings == expected


def test_the_docx_fills_in_the_unit_and_keeps_every_line(spec):
    texts = [p.text for p in docx_paragraphs(render_template_docx(spec, "pledge", ORG))]
    assert texts.count(f"申领单位：{ORG}") == 2
    assert texts.count("（单位盖章）") == 2
    report = [p.text for p in docx_paragraphs(render_template_docx(spec, "report-brand", ORG))]
    assert f"申报单位（盖章）：{ORG}" in report
    assert "日期：  年  月  日" in report


def test_the_docx_names_an_east_asian_font_for_chinese(spec):
    document = Document(io.BytesIO(render_template_docx(spec, "report-digital", ORG)))
    for name in ("Normal", "Heading 1", "Heading 2"):
        fonts = document.styles[name].element.rPr.rFonts
        assert fonts.get(qn("w:eastAsia")), name
        assert fonts.get(qn("w:eastAsiaTheme")) is None, name


def test_the_second_pledge_letter_starts_a_new_page_in_word(spec):
    paragraphs = docx_paragraphs(render_template_docx(spec, "pledge", ORG))
    second = next(p for p in paragraphs if p.text == "合规承诺书")
    assert second.paragraph_format.page_break_before


def test_a_missing_chinese_font_is_named_with_the_package_to_install():
    with pytest.raises(RuntimeError, match="缺少中文字体：请安装 fonts-noto-cjk"):
        cjk_font_path("Noto Serif CJK XX")
