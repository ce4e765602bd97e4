"""指南 三 各子项目 说明："各页面主要内容均为正向，不可横置或倒置。"

A page's content angle is how far its text is turned clockwise as a viewer displays it (the
page's /Rotate included): 180 is upside down (倒置), 90 or 270 sideways (横置).
"""

from .model import ORIENTATION, Finding
from .pages import Page

_TURN = {90: "顺时针旋转了90°", 270: "逆时针旋转了90°"}


def orientation_findings(page: Page, angle: int | None) -> list[Finding]:
    """Findings for one page whose content angle is ``angle`` (None: could not tell)."""
    n = page.number
    rotated = f"（该页设置了{page.rotation}°页面旋转）" if page.rotation else ""
    if angle == 180:
        return [Finding(ORIENTATION, "fail", n,
                        f"第{n}页内容倒置{rotated}，各页面主要内容应为正向，请将该页旋转为正向后重新上传")]
    if angle in (90, 270):
        return [Finding(ORIENTATION, "fail", n,
                        f"第{n}页内容横置（{_TURN[angle]}）{rotated}，各页面主要内容应为正向，"
                        "请将该页旋转为正向后重新上传")]
    if page.rotation and angle == 0:
        return [Finding(ORIENTATION, "warn", n,
                        f"第{n}页设置了{page.rotation}°页面旋转，当前显示为正向，但部分阅读器或打印时"
                        "可能横置或倒置，建议导出为不带旋转设置的PDF")]
    if page.rotation:
        return [Finding(ORIENTATION, "warn", n,
                        f"第{n}页设置了{page.rotation}°页面旋转，且未能识别该页文字方向，请确认内容为正向")]
    if page.is_landscape and angle is None:
        # A landscape page whose text reads upright (a wide table) is fine; one whose direction
        # could not be read may be a sideways scan.
        return [Finding(ORIENTATION, "warn", n,
                        f"第{n}页为横向页面，未能识别文字方向，请确认该页内容为正向、未横置")]
    return []
