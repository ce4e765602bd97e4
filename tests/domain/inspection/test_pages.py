"""Opening files: page facts, and refusal of hostile files before they are decoded."""

import pytest

from qualityfund.domain.inspection.pages import Unreadable, open_document

from . import samples


def _pages(path, kind="pdf"):
    with open_document(path, kind) as document:
        return document.page_count, [
            (page.number, page.rotation, page.is_landscape, page.text_angle,
             None if page.scan_dpi is None else round(page.scan_dpi))
            for page in document.pages()]


def test_text_pdf_facts(sample_file):
    path = sample_file("rotated", lambda: samples.rotate_pdf(
        samples.make_pdf_text(samples.PLEDGE_PAGES), 90, pages=[2]))
    count, pages = _pages(path)
    # Page 2 carries /Rotate 90: displayed landscape, its lines running top to bottom.
    assert (count, pages) == (2, [(1, 0, False, 0, None), (2, 90, True, 90, None)])


@pytest.mark.parametrize("dpi", [72, 150, 300])
def test_scan_resolution_is_measured(sample_file, dpi):
    path = sample_file(f"scan-{dpi}", lambda: samples.make_scanned_pdf(["扫描页"], dpi))
    assert _pages(path) == (1, [(1, 0, False, None, dpi)])


def test_sideways_scan_is_a_landscape_page(sample_file):
    path = sample_file("sideways", samples.sideways_scan_pdf)
    assert _pages(path) == (1, [(1, 0, True, None, 150)])


def test_text_layer_is_extracted(sample_file):
    path = sample_file("pledge-text", lambda: samples.make_pdf_text(samples.PLEDGE_PAGES))
    with open_document(path, "pdf") as document:
        texts = [page.text for page in document.pages()]
    assert texts[0].startswith("廉洁承诺书")
    assert texts[1].rstrip().endswith("（单位盖章）")


def test_image_upload_is_one_page_judged_as_a4(sample_file):
    path = sample_file("page-png", samples.png_page, ".png")
    count, pages = _pages(path, "png")
    assert (count, pages) == (1, [(1, 0, False, None, 150)])


@pytest.mark.parametrize(("name", "build", "kind", "message"), [
    ("encrypted", samples.encrypted_pdf, "pdf", "文件已加密，无法读取，请上传未加密的PDF"),
    ("corrupt", samples.corrupt_pdf, "pdf", "PDF文件已损坏"),
    ("truncated", samples.truncated_pdf, "pdf", "PDF文件已损坏"),
    ("no-pages", samples.empty_pdf, "pdf", "文件没有任何页面"),
    ("bomb", samples.decompression_bomb_png, "png", "解压炸弹"),
    ("not-an-image", lambda: b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "png", "图片文件已损坏"),
])
def test_hostile_or_broken_files_are_refused(sample_file, name, build, kind, message):
    path = sample_file(f"refused-{name}", build, "." + kind)
    with pytest.raises(Unreadable, match=message):
        _pages(path, kind)


def test_large_image_is_refused_by_our_own_ceiling(tmp_path):
    # 9000 × 9000 is under Pillow's bomb threshold but over the 80-megapixel ceiling.
    path = tmp_path / "huge.png"
    path.write_bytes(samples.decompression_bomb_png(9000))
    with pytest.raises(Unreadable, match="9000×9000"):
        _pages(str(path), "png")


def test_restricted_pdf_opens(sample_file):
    path = sample_file("restricted", samples.restricted_pdf)
    with open_document(path, "pdf") as document:
        assert document.restricted
        assert document.page_count == 1
