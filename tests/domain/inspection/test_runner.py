"""inspect_file end to end on generated materials, one scenario of the guide per test."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qualityfund.domain.inspection import Finding, InspectionSpec, inspect_file

from . import samples
from .conftest import INCUBATION_REPORT, PLEDGE, SERVICE_REPORT


@pytest.fixture(scope="module")
def inspected(sample_file):
    """Inspect each (sample, spec) pair once per module; OCR is the slow part."""
    cache = {}

    def run(name, build, spec, suffix=".pdf"):
        key = (name, spec)
        if key not in cache:
            cache[key] = inspect_file(sample_file(name, build, suffix), spec)
        return cache[key]

    return run


def problems(findings: list[Finding], check: str) -> list[tuple[str, int | None]]:
    return [(f.status, f.page) for f in findings if f.check == check and f.status != "pass"]


def passes(findings: list[Finding], check: str) -> list[int | None]:
    return [f.page for f in findings if f.check == check and f.status == "pass"]


def message(findings: list[Finding], check: str, page: int | None) -> str:
    return next(f.message for f in findings if f.check == check and f.page == page)


# --- orientation ------------------------------------------------------------------------------

def test_page_rotated_by_its_rotate_entry(inspected):
    findings = inspected("pledge-rotate-90", lambda: samples.rotate_pdf(
        samples.make_pdf_text(samples.PLEDGE_PAGES), 90, pages=[2]), PLEDGE)
    assert problems(findings, "orientation") == [("fail", 2)]
    text = message(findings, "orientation", 2)
    assert "第2页内容横置" in text and "90°页面旋转" in text


def test_rotate_entry_that_puts_a_sideways_scan_upright_only_warns(inspected):
    findings = inspected("sideways-corrected", lambda: samples.rotate_pdf(
        samples.sideways_scan_pdf(), 270), SERVICE_REPORT)
    assert problems(findings, "orientation") == [("warn", 1)]
    assert "当前显示为正向" in message(findings, "orientation", 1)


def test_upside_down_scan(inspected):
    findings = inspected("upside-down", samples.upside_down_scan_pdf, SERVICE_REPORT)
    assert problems(findings, "orientation") == [("fail", 2)]
    assert message(findings, "orientation", 2).startswith("第2页内容倒置")


@pytest.mark.parametrize(("turn", "words"), [(90, "顺时针"), (270, "逆时针")])
def test_sideways_scan(inspected, turn, words):
    findings = inspected(f"sideways-{turn}", lambda: samples.sideways_scan_pdf(turn=turn),
                         SERVICE_REPORT)
    assert problems(findings, "orientation") == [("fail", 1)]
    assert f"第1页内容横置（{words}旋转了90°）" in message(findings, "orientation", 1)


def test_sideways_photo_upload(inspected):
    findings = inspected("sideways-png", lambda: samples.png_page(turn=90), SERVICE_REPORT,
                         ".png")
    assert problems(findings, "orientation") == [("fail", 1)]


def test_upright_text_pdf_passes(inspected):
    findings = inspected("pledge-electronic", samples.electronically_sealed_pledge_pdf, PLEDGE)
    assert problems(findings, "orientation") == []
    assert passes(findings, "orientation") == [None]


# --- seal --------------------------------------------------------------------------------------

def test_sealed_pledge_letter(inspected):
    findings = inspected("pledge-sealed", samples.sealed_pledge_pdf, PLEDGE)
    assert problems(findings, "seal") == []
    assert passes(findings, "seal") == [1, 2]
    assert message(findings, "seal", 1) == "第1页检测到红色公章"


def test_unsealed_pledge_letter(inspected):
    findings = inspected("pledge-unsealed", samples.unsealed_pledge_pdf, PLEDGE)
    assert problems(findings, "seal") == [("fail", 1), ("fail", 2)]
    assert message(findings, "seal", 2).startswith("第2页落款处未检测到红色公章")


def test_pledge_letter_sealed_on_one_part_only(inspected):
    findings = inspected("pledge-half-sealed", samples.half_sealed_pledge_pdf, PLEDGE)
    assert problems(findings, "seal") == [("fail", 1)]
    assert passes(findings, "seal") == [2]


def test_electronic_seal_on_a_text_pdf(inspected):
    findings = inspected("pledge-electronic", samples.electronically_sealed_pledge_pdf, PLEDGE)
    assert passes(findings, "seal") == [1, 2]


def test_unsealed_text_pdf_found_by_its_text_layer(inspected):
    findings = inspected("pledge-text", lambda: samples.make_pdf_text(samples.PLEDGE_PAGES),
                         PLEDGE)
    assert problems(findings, "seal") == [("fail", 1), ("fail", 2)]


@pytest.mark.parametrize(("mode", "expected"), [
    ("last", [("fail", 2)]),
    ("all", [("fail", 1), ("fail", 2)]),
    ("none", []),
])
def test_seal_page_modes(inspected, mode, expected):
    spec = InspectionSpec(seal_required=True, seal_pages=mode)
    findings = inspected("pledge-text", lambda: samples.make_pdf_text(samples.PLEDGE_PAGES), spec)
    assert problems(findings, "seal") == expected


def test_without_a_marker_the_last_page_is_checked(inspected):
    findings = inspected("two-plain-pages", lambda: samples.make_pdf_text(
        ["第一页正文" * 10, "第二页正文" * 10]), InspectionSpec(seal_required=True))
    assert problems(findings, "seal") == [("fail", 2)]
    assert "按最后一页检查" in message(findings, "seal", 2)


def test_seal_not_required(inspected):
    findings = inspected("pledge-text", lambda: samples.make_pdf_text(samples.PLEDGE_PAGES),
                         InspectionSpec())
    assert [f for f in findings if f.check == "seal"] == []


# --- legibility --------------------------------------------------------------------------------

def test_low_resolution_scan(inspected):
    findings = inspected("low-resolution", samples.low_resolution_scan_pdf, SERVICE_REPORT)
    assert problems(findings, "legibility") == [("fail", 1)]
    assert "约72dpi" in message(findings, "legibility", 1)


def test_modest_resolution_scan_warns(inspected):
    findings = inspected("scan-120", lambda: samples.low_resolution_scan_pdf(120), SERVICE_REPORT)
    assert problems(findings, "legibility") == [("warn", 1)]


def test_blurred_scan(inspected):
    findings = inspected("blurred", samples.blurred_scan_pdf, SERVICE_REPORT)
    assert problems(findings, "legibility") == [("fail", 1)]
    assert "模糊" in message(findings, "legibility", 1)


def test_good_scan_passes_legibility(inspected):
    findings = inspected("pledge-sealed", samples.sealed_pledge_pdf, PLEDGE)
    assert passes(findings, "legibility") == [None]


# --- all at once --------------------------------------------------------------------------------

def test_scanned_upside_down_unsealed_pledge_letter(inspected):
    findings = inspected("pledge-careless", samples.careless_pledge_pdf, PLEDGE)
    assert problems(findings, "readable") == []
    assert problems(findings, "orientation") == [("fail", 1), ("fail", 2)]
    assert problems(findings, "seal") == [("fail", 1), ("fail", 2)]
    assert problems(findings, "legibility") == [("fail", 1), ("fail", 2)]
    assert message(findings, "orientation", 1).startswith("第1页内容倒置")
    assert message(findings, "seal", 2).startswith("第2页落款处未检测到红色公章")
    assert message(findings, "legibility", 2).startswith("第2页扫描分辨率约96dpi")


# --- length and headings -----------------------------------------------------------------------

def test_report_over_the_limit(inspected):
    findings = inspected("report-30001", lambda: samples.long_report_pdf(30001),
                         INCUBATION_REPORT)
    assert problems(findings, "length") == [("fail", None)]
    assert "30001字" in message(findings, "length", None)


def test_report_at_the_limit(inspected):
    findings = inspected("report-30000", lambda: samples.long_report_pdf(30000),
                         INCUBATION_REPORT)
    assert problems(findings, "length") == []
    assert message(findings, "length", None) == "报告字数为30000字，未超过30000字上限"
    assert passes(findings, "headings") == [None]


def test_missing_dimension_headings_are_named(inspected):
    findings = inspected("report-partial", lambda: samples.long_report_pdf(
        2000, headings=("组织简介", "领导", "战略")), INCUBATION_REPORT)
    assert problems(findings, "headings") == [("warn", None)]
    text = message(findings, "headings", None)
    assert "顾客与市场" in text and "运营和过程管理" in text and "组织简介" not in text


def test_word_report(inspected):
    findings = inspected("report-docx", lambda: samples.docx_bytes(samples.report_text(30001)),
                         INCUBATION_REPORT, ".docx")
    assert problems(findings, "length") == [("fail", None)]
    assert passes(findings, "readable") == [None]


def test_word_file_cannot_carry_a_seal(inspected):
    findings = inspected("pledge-docx", lambda: samples.docx_bytes(samples.PLEDGE_PAGES[0]),
                         PLEDGE, ".docx")
    assert problems(findings, "seal") == [("fail", None)]


def test_scanned_report_headings_by_ocr(inspected):
    findings = inspected("sideways-90", lambda: samples.sideways_scan_pdf(turn=90),
                         SERVICE_REPORT)
    assert passes(findings, "headings") == [None]


# --- readable -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "build", "suffix", "expected"), [
    ("corrupt", samples.corrupt_pdf, ".pdf",
     "PDF文件已损坏或格式不正确，无法打开，请重新导出后上传"),
    ("encrypted", samples.encrypted_pdf, ".pdf", "文件已加密，无法读取，请上传未加密的PDF"),
    ("no-pages", samples.empty_pdf, ".pdf", "文件没有任何页面，请重新导出后上传"),
    ("thousands", samples.many_pages_pdf, ".pdf",
     "文件共5000页，超过500页的上限，请精简或拆分后上传"),
    ("bomb", samples.decompression_bomb_png, ".png",
     "图片尺寸过大，超过检查上限，疑似异常文件（解压炸弹），请压缩后重新上传"),
    ("zip-bomb", samples.zip_bomb_docx, ".docx",
     "文件内部部件word/document.xml压缩比异常（约343:1），疑似压缩炸弹"),
    ("empty-file", lambda: b"", ".pdf", "文件为空（0字节），请重新上传"),
    ("gif", lambda: b"GIF89a" + b"\x00" * 100, ".pdf",
     "无法识别文件格式，请上传PDF、JPG或PNG格式的文件"),
])
def test_unreadable_files_end_in_one_clear_finding(inspected, name, build, suffix, expected):
    findings = inspected(name, build, PLEDGE, suffix)
    assert findings == [Finding("readable", "fail", None, expected)]


def test_huge_embedded_image_is_not_decoded(inspected):
    findings = inspected("huge-image", samples.huge_image_pdf, PLEDGE)
    assert problems(findings, "readable") == [("fail", 1)]
    assert "第1页含超大图片（约40000万像素）" in message(findings, "readable", 1)


def test_file_over_the_size_limit(inspected):
    findings = inspected("pledge-text", lambda: samples.make_pdf_text(samples.PLEDGE_PAGES),
                         InspectionSpec(max_bytes=1000))
    assert problems(findings, "readable") == [("fail", None)]
    assert "超过上限" in findings[0].message


def test_restricted_pdf_warns(inspected):
    findings = inspected("restricted", samples.restricted_pdf, InspectionSpec())
    assert problems(findings, "readable") == [("warn", None)]


def test_video_is_accepted_as_evidence(inspected):
    findings = inspected("video", lambda: b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64,
                         InspectionSpec(), ".mp4")
    assert findings == [Finding("readable", "pass", None, "视频文件格式正确（MP4）")]


def test_ocr_budget_reports_unchecked_pages(inspected):
    findings = inspected("pledge-unsealed", samples.unsealed_pledge_pdf,
                         InspectionSpec(ocr_pages=1))
    assert problems(findings, "orientation") == [("warn", 2)]
    assert "第2页为扫描页，超出自动识别的范围" in message(findings, "orientation", 2)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(prefix=st.sampled_from([b"%PDF-1.7\n", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xe0",
                               b"PK\x03\x04" + b"\x00" * 26 + b"word/"]),
       body=st.binary(max_size=3000))
def test_garbage_never_raises(tmp_path, prefix, body):
    path = tmp_path / "garbage"
    path.write_bytes(prefix + body)
    findings = inspect_file(str(path), PLEDGE)
    assert findings and findings[0].check == "readable"
    assert all(f.message for f in findings)


# --- the values ---------------------------------------------------------------------------------

def test_finding_as_dict():
    finding = Finding("seal", "fail", 2, "第2页落款处未检测到红色公章")
    assert finding.as_dict() == {"check": "seal", "status": "fail", "page": 2,
                                 "message": "第2页落款处未检测到红色公章"}


def test_spec_refuses_an_unknown_seal_mode():
    with pytest.raises(ValueError):
        InspectionSpec(seal_pages="first")
    with pytest.raises(TypeError):
        InspectionSpec(markers="单位盖章")
