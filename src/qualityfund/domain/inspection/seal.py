"""Find red round (or oval) seals on a rendered page.

An official seal (公章) is a red ring 38–45 mm across with the organisation's name along the
rim and a star in the middle. On a page rendered at any resolution it is found as:

1. red pixels (HSV: hue near 0, saturated, not dark), closed into blobs so that rim, star and
   characters become one;
2. a blob 0.07–0.45 of the page's short side across (a 42 mm seal on A4 is 0.2), whose
   outline fits an ellipse (axis ratio ≥ 0.55 admits oval 财务专用章) that it fills;
3. red found on the fitted ellipse's rim in at least 70 % of directions — a ring, where red
   letterhead text or a rule is open;
4. at most 60 % red in the inner half — a solid red disc (a logo) is not a seal.
"""

import math
from dataclasses import dataclass

import cv2
import numpy as np

from .model import SEAL, Finding

# Red wraps around hue 0 in OpenCV's 0–179 hue scale.
RED_LOW_HUE = 12
RED_HIGH_HUE = 160
MIN_SATURATION = 70
MIN_VALUE = 60
MIN_DIAMETER = 0.07   # of the page's short side: 15 mm on A4
MAX_DIAMETER = 0.45   # of the page's short side: 95 mm on A4
MIN_AXIS_RATIO = 0.55  # oval seals (e.g. 财务专用章) are about 45 × 30 mm
MIN_FILL = 0.75        # contour area over ellipse area: the closed blob is a filled ellipse
MIN_RIM_COVERAGE = 0.7
MAX_CORE_RED = 0.6     # share of red in the inner half: a seal is a ring, not a disc
RIM_SAMPLES = 90


@dataclass(frozen=True)
class Seal:
    center: tuple[float, float]  # fractions of the page width and height
    diameter: float              # fraction of the page's short side
    rim_coverage: float


def red_mask(image: np.ndarray) -> np.ndarray:
    hsv = cv2.cvtColor(image, cv2.COLOR_BGR2HSV)
    hue, saturation, value = cv2.split(hsv)
    red_hue = (hue <= RED_LOW_HUE) | (hue >= RED_HIGH_HUE)
    return ((red_hue & (saturation >= MIN_SATURATION) & (value >= MIN_VALUE))
            .astype(np.uint8) * 255)


def _coverage(mask: np.ndarray, ellipse, scales: tuple[float, ...]) -> float:
    """Share of directions from the centre in which the band at ``scales`` has red."""
    (cx, cy), (axis_w, axis_h), angle = ellipse
    theta = math.radians(angle)
    height, width = mask.shape
    hits = 0
    for step in range(RIM_SAMPLES):
        phi = 2 * math.pi * step / RIM_SAMPLES
        for scale in scales:
            ex, ey = axis_w / 2 * scale * math.cos(phi), axis_h / 2 * scale * math.sin(phi)
            x = round(cx + ex * math.cos(theta) - ey * math.sin(theta))
            y = round(cy + ex * math.sin(theta) + ey * math.cos(theta))
            if 0 <= x < width and 0 <= y < height and mask[y, x]:
                hits += 1
                break
    return hits / RIM_SAMPLES


def _core_red(mask: np.ndarray, ellipse) -> float:
    inner = np.zeros_like(mask)
    (cx, cy), (axis_w, axis_h), angle = ellipse
    cv2.ellipse(inner, ((cx, cy), (axis_w / 2, axis_h / 2), angle), 255, -1)
    area = int(np.count_nonzero(inner))
    return float(np.count_nonzero(mask & inner)) / area if area else 1.0


def find_seals(image: np.ndarray) -> list[Seal]:
    """Red seals on a BGR page image, largest first."""
    height, width = image.shape[:2]
    short = min(height, width)
    mask = red_mask(image)
    if not mask.any():
        return []
    # Close the gaps between rim, star and characters so a seal becomes one blob.
    size = max(3, short // 120) | 1
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size))
    rim_mask = cv2.dilate(mask, kernel)
    blobs = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, kernel, iterations=3)
    contours, _ = cv2.findContours(blobs, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    seals = []
    for contour in contours:
        if len(contour) < 5:
            continue
        _, _, w, h = cv2.boundingRect(contour)
        if max(w, h) < MIN_DIAMETER * short or max(w, h) > MAX_DIAMETER * short:
            continue
        ellipse = cv2.fitEllipse(contour)
        axis_w, axis_h = ellipse[1]
        if min(axis_w, axis_h) <= 0 or min(axis_w, axis_h) / max(axis_w, axis_h) < MIN_AXIS_RATIO:
            continue
        ellipse_area = math.pi * axis_w * axis_h / 4
        hull_fill = cv2.contourArea(cv2.convexHull(contour)) / ellipse_area
        if hull_fill < MIN_FILL or hull_fill > 1 / MIN_FILL:
            continue
        rim = _coverage(rim_mask, ellipse, (1.0, 0.95, 0.9, 0.85))
        if rim < MIN_RIM_COVERAGE or _core_red(mask, ellipse) > MAX_CORE_RED:
            continue
        seals.append(Seal((ellipse[0][0] / width, ellipse[0][1] / height),
                          max(axis_w, axis_h) / short, rim))
    return sorted(seals, key=lambda seal: -seal.diameter)


def seal_finding(page: int, seals: list[Seal], by_fallback: bool) -> Finding:
    """指南 说明："上述申报材料须在落款处加盖公章。" One finding for one page that needs a seal."""
    where = "（文中未找到盖章位置标识，按最后一页检查）" if by_fallback else ""
    if seals:
        return Finding(SEAL, "pass", page, f"第{page}页检测到红色公章{where}")
    return Finding(SEAL, "fail", page,
                   f"第{page}页落款处未检测到红色公章{where}，请加盖公章后以彩色扫描上传")
