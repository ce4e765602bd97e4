"""The Chinese fonts every generated document needs, found through fontconfig.

A PDF rendered without a CJK font shows boxes (豆腐块) instead of characters and is useless as
an official document, so rendering refuses to start rather than produce one.
"""

import shutil
import subprocess
import threading
from functools import cache
from pathlib import Path

from weasyprint.text.fonts import FontConfiguration

SERIF = "Noto Serif CJK SC"
SANS = "Noto Sans CJK SC"
MONO = "DejaVu Sans Mono"
FAMILIES = (SERIF, SANS)

# Word/WPS on the applicants' machines: 宋体 for text and 黑体 for headings are present on
# every Chinese Windows and are the usual faces of official templates; elsewhere the
# zh-CN language tag makes the word processor substitute a Chinese face.
DOCX_BODY_FONT = "宋体"
DOCX_HEADING_FONT = "黑体"

MISSING_MESSAGE = "缺少中文字体：请安装 fonts-noto-cjk（make check-system）"


@cache
def cjk_font_path(family: str = SANS) -> Path:
    """The file of ``family``; RuntimeError when fontconfig only offers a substitute."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        raise RuntimeError(MISSING_MESSAGE)
    found = subprocess.run(
        [fc_match, "-f", "%{file}\n%{family}", family],
        capture_output=True, text=True, check=False,
    )
    file, _, families = found.stdout.partition("\n")
    # fc-match always answers with something; only the requested family will do.
    if found.returncode != 0 or family not in families.split(",") or not Path(file).is_file():
        raise RuntimeError(MISSING_MESSAGE)
    return Path(file)


def require_cjk_fonts() -> None:
    for family in FAMILIES:
        cjk_font_path(family)


_local = threading.local()


def font_config() -> FontConfiguration:
    """A FontConfiguration reused across renders; one per thread, as Pango's is not shared."""
    config = getattr(_local, "font_config", None)
    if config is None:
        config = _local.font_config = FontConfiguration()
    return config
