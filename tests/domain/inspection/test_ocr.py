"""Direction finding on scanned pages, measured on all four turns of a generated scan."""

import subprocess
import sys
import textwrap

import numpy as np
import pytest
from PIL import Image

from qualityfund.domain.inspection.ocr import OCR_DPI, TextNeed, read_page
from qualityfund.domain.inspection.wording import contains

from . import samples


def _bgr(image: Image.Image) -> np.ndarray:
    return np.ascontiguousarray(np.asarray(image.convert("RGB"))[:, :, ::-1])


@pytest.fixture(scope="module")
def report_page() -> Image.Image:
    return samples.text_page_image(samples.REPORT_PAGE, OCR_DPI)


@pytest.mark.parametrize("turn", [0, 90, 180, 270])
def test_direction_of_each_turn(report_page, turn):
    # Image.rotate turns counter-clockwise; the content is turned clockwise by ``turn``.
    image = report_page.rotate(-turn, expand=True, fillcolor="white")
    reading = read_page(_bgr(image))
    assert reading.angle == turn
    assert reading.confidence > 0.8
    assert reading.line_count >= 15


def test_text_is_read_upright_and_in_order(report_page):
    image = report_page.rotate(-270, expand=True, fillcolor="white")
    reading = read_page(_bgr(image), TextNeed.ALL)
    assert reading.lines[0] == "质量基础设施优质服务子项目成果报告"
    assert "一、行动目标准确" in reading.lines
    assert reading.lines[-1] == "日期：2025年6月20日"


def test_short_lines_suffice_for_markers_and_headings(report_page):
    reading = read_page(_bgr(report_page), TextNeed.SHORT_LINES)
    assert {"一、行动目标准确", "申报单位（盖章）："} <= set(reading.lines)
    assert not any(line.startswith("本项目面向") for line in reading.lines)


def test_marker_under_a_seal_is_read():
    page = samples.text_page_image(samples.PLEDGE_PAGES[0], OCR_DPI, sealed=True)
    lines = read_page(_bgr(page), TextNeed.SHORT_LINES).lines
    assert any(contains(line, "（单位盖章）") for line in lines)


def test_blank_page_has_no_direction():
    reading = read_page(_bgr(Image.new("RGB", (827, 1169), "white")), TextNeed.ALL)
    assert (reading.angle, reading.lines, reading.sharpness) == (None, (), None)


def test_models_are_local_and_no_network_is_used():
    # An audit hook refuses every socket and URL opening while the engine loads and reads.
    script = textwrap.dedent("""
        import sys
        def refuse(event, args):
            if event.startswith(("socket.", "urllib.")):
                raise RuntimeError("network use: " + event)
        sys.addaudithook(refuse)
        import numpy as np
        from qualityfund.domain.inspection.ocr import read_page, TextNeed
        page = np.full((400, 600, 3), 255, np.uint8)
        import cv2
        cv2.putText(page, "QUALITY BRAND 2025", (30, 200), cv2.FONT_HERSHEY_SIMPLEX, 1.5, 0, 3)
        print(read_page(page, TextNeed.ALL).lines)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert "QUALITY" in done.stdout
