"""指南 说明："申报材料应当确保页面文字、公章、签名等实质性内容清晰可辨。"

Two measurable causes of illegible scans: too few pixels per inch, and blur. Resolution is
read from the file (image pixels over the size the image is printed at). Blur is the
variance of the Laplacian inside the detected text lines of the page rendered at the OCR
resolution; on the generated 12 pt scans it measures ≈15 000 sharp, ≈2 500 under a 1-pixel
Gaussian blur (still crisp), ≈560 at 1.5 pixels (soft but readable) and ≈55 at 2.5 pixels
(characters smear together).
"""

from .model import LEGIBILITY, Finding, InspectionSpec
from .pages import Page

BLUR_WARN = 1000.0
BLUR_FAIL = 150.0


def legibility_findings(page: Page, sharpness: float | None, spec: InspectionSpec) -> list[Finding]:
    n = page.number
    findings = []
    if page.scan_dpi is not None:
        dpi = round(page.scan_dpi)
        if dpi < spec.fail_dpi:
            findings.append(Finding(LEGIBILITY, "fail", n,
                                    f"第{n}页扫描分辨率约{dpi}dpi，低于{spec.fail_dpi}dpi，文字可能无法辨认，"
                                    f"请以不低于{spec.min_dpi}dpi重新扫描"))
        elif dpi < spec.min_dpi:
            findings.append(Finding(LEGIBILITY, "warn", n,
                                    f"第{n}页扫描分辨率约{dpi}dpi，低于建议的{spec.min_dpi}dpi，"
                                    "请确认文字、公章、签名清晰可辨"))
    if sharpness is not None:
        if sharpness < BLUR_FAIL:
            findings.append(Finding(LEGIBILITY, "fail", n,
                                    f"第{n}页图像模糊，文字难以辨认，请重新清晰扫描后上传"))
        elif sharpness < BLUR_WARN:
            findings.append(Finding(LEGIBILITY, "warn", n,
                                    f"第{n}页图像较模糊，请确认文字、公章、签名清晰可辨"))
    return findings
