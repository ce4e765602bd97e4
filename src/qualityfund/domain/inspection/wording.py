"""Text checks of reports: the length limit and the template's dimension headings."""

import unicodedata

from .model import HEADINGS, LENGTH, Finding
from .wordcount import count_words


def normalise(text: str) -> str:
    """Width-folded (（ → (, ： → :), whitespace-free text, for matching markers and headings."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def contains(text: str, phrase: str) -> bool:
    return normalise(phrase) in normalise(text)


def length_findings(text: str, max_chars: int, estimated: bool, complete: bool) -> list[Finding]:
    """指南 三（七）4③ 说明："报告字数限3万字以内"; 字数 by the Word convention (wordcount).

    A count that rests on OCR (``estimated``) is an estimate, so exceeding the limit then only
    warns; a count that misses pages (``not complete``) cannot show compliance.
    """
    count = count_words(text)
    basis = "（含扫描页识别文字，为估算值）" if estimated else ""
    if count > max_chars:
        status = "warn" if estimated else "fail"
        return [Finding(LENGTH, status, None,
                        f"报告字数为{count}字{basis}，超过指南规定的{max_chars}字上限，请精简后重新上传")]
    if not complete:
        return [Finding(LENGTH, "warn", None,
                        f"部分扫描页未能识别文字，已统计{count}字，无法确认是否超过{max_chars}字上限，请人工核对")]
    return [Finding(LENGTH, "pass", None, f"报告字数为{count}字{basis}，未超过{max_chars}字上限")]


def heading_findings(text: str, headings: tuple[str, ...]) -> list[Finding]:
    """The report should be organised by the template's dimensions (附件2–7)."""
    if not normalise(text):
        return [Finding(HEADINGS, "warn", None,
                        "未能提取报告文字，无法核对模板的评价维度标题，请人工核对")]
    missing = [heading for heading in headings if not contains(text, heading)]
    if missing:
        return [Finding(HEADINGS, "warn", None,
                        f"报告中未找到模板规定的评价维度：{'、'.join(missing)}，请按报告模板补充相应内容")]
    return [Finding(HEADINGS, "pass", None, f"报告涵盖模板规定的全部{len(headings)}个评价维度")]
