"""Word and Excel files are zips: judge them by their central directory before inflating anything.

A zip bomb declares its true sizes in the central directory (or lies, and is then caught by a
bounded read), so the limits below refuse it without decompressing a byte.
"""

import html
import re
import zipfile
from dataclasses import dataclass

MB = 1024 * 1024
MAX_ENTRIES = 5000
MAX_TOTAL_UNCOMPRESSED = 200 * MB
MAX_RATIO = 100          # deflate of real documents stays well under 20:1
RATIO_FLOOR = MB  # tiny entries (styles, rels) may compress extremely well
MAX_TEXT_PART = 50 * MB

_PARAGRAPH_END = re.compile(r"</w:p>")
_TEXT_RUN = re.compile(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>")
_TAB_OR_BREAK = re.compile(r"<w:(?:tab|br|cr)\b[^>]*/>")


class UnsafeArchive(Exception):
    """The archive is malformed or would expand beyond what a document plausibly needs."""


@dataclass(frozen=True)
class ArchiveSummary:
    entries: int
    compressed: int
    uncompressed: int


def check_archive(path: str, max_total: int = MAX_TOTAL_UNCOMPRESSED) -> ArchiveSummary:
    """Read only the central directory; raise ``UnsafeArchive`` with a Chinese reason."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise UnsafeArchive("文件已损坏，无法作为Word/Excel文件打开") from error
    if len(infos) > MAX_ENTRIES:
        raise UnsafeArchive(f"文件包含{len(infos)}个内部部件，超过上限{MAX_ENTRIES}，疑似异常文件")
    total = sum(info.file_size for info in infos)
    if total > max_total:
        raise UnsafeArchive(
            f"文件解压后约{total / MB:.1f}MB，超过上限{max_total / MB:.1f}MB，疑似压缩炸弹")
    for info in infos:
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            ratio = info.file_size // max(info.compress_size, 1)
            raise UnsafeArchive(
                f"文件内部部件{info.filename}压缩比异常（约{ratio}:1），疑似压缩炸弹")
    return ArchiveSummary(len(infos), sum(i.compress_size for i in infos), total)


def docx_text(path: str) -> str:
    """Paragraph text of a checked .docx, read with a hard cap even if the directory lied."""
    with zipfile.ZipFile(path) as archive:
        try:
            info = archive.getinfo("word/document.xml")
        except KeyError as error:
            raise UnsafeArchive("Word文件缺少正文部件（word/document.xml）") from error
        with archive.open(info) as part:
            data = part.read(MAX_TEXT_PART + 1)
    if len(data) > MAX_TEXT_PART:
        raise UnsafeArchive("Word文件正文解压后超过上限，疑似压缩炸弹")
    xml = _TAB_OR_BREAK.sub("<w:t> </w:t>", data.decode("utf-8", errors="replace"))
    paragraphs = (
        "".join(html.unescape(run) for run in _TEXT_RUN.findall(chunk))
        for chunk in _PARAGRAPH_END.split(xml)
    )
    return "\n".join(paragraph for paragraph in paragraphs if paragraph)
