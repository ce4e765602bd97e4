"""Seal detection on page images drawn in code (no PDF, no OCR: fast)."""

import numpy as np
import pytest
from PIL import Image, ImageDraw

from qualityfund.domain.inspection.seal import find_seals

from . import samples

DPI = 100


def _bgr(image: Image.Image) -> np.ndarray:
    return np.ascontiguousarray(np.asarray(image.convert("RGB"))[:, :, ::-1])


def _page(sealed: bool) -> Image.Image:
    return samples.text_page_image(samples.PLEDGE_PAGES[0], DPI, sealed=sealed)


def test_round_seal_is_found_where_it_was_stamped():
    seals = find_seals(_bgr(_page(sealed=True)))
    assert len(seals) == 1
    seal = seals[0]
    # 42 mm on a 210 mm page; stamped over the flush-right （单位盖章） line.
    assert seal.diameter == pytest.approx(42 / 210, rel=0.1)
    assert seal.center[0] > 0.6
    assert seal.rim_coverage > 0.9


def test_page_without_seal():
    assert find_seals(_bgr(_page(sealed=False))) == []


@pytest.mark.parametrize("size", [(160, 110), (110, 160)])
def test_oval_seal(size):
    page = _page(sealed=False)
    samples.stamp(page, samples.red_seal_image(200).resize(size), (600, 900))
    assert len(find_seals(_bgr(page))) == 1


def test_small_and_large_seals_on_other_scales():
    # The same seal on a page scanned at 300 dpi: size is judged relative to the page.
    page = samples.text_page_image(samples.PLEDGE_PAGES[0], 300, sealed=True)
    assert len(find_seals(_bgr(page))) == 1


def test_solid_red_disc_is_no_seal():
    page = _page(sealed=False)
    ImageDraw.Draw(page).ellipse((500, 800, 660, 960), fill=(210, 30, 35))
    assert find_seals(_bgr(page)) == []


def test_red_letterhead_is_no_seal():
    # 红头文件: a red title and rule across the top of the page.
    page = _page(sealed=False)
    draw = ImageDraw.Draw(page)
    draw.text((120, 30), "深圳市示例质量科技有限公司文件", font=samples.cjk_font(40),
              fill=(210, 30, 35))
    draw.rectangle((80, 90, 750, 94), fill=(210, 30, 35))
    assert find_seals(_bgr(page)) == []


def test_grey_scan_of_a_seal_cannot_be_seen():
    # Why the failure message asks for a colour scan.
    page = _page(sealed=True).convert("L")
    assert find_seals(_bgr(page)) == []
