"""Run every check a material's spec asks for over one file, page by page.

The file is judged by its content, opened with ceilings on size, page count and pixels, and
walked one page at a time so that memory stays that of a single page. OCR, the slow part,
runs only on pages without a text layer and within the spec's page and time budget.
"""

import os
import time
from dataclasses import dataclass, field

from . import ocr
from .archive import UnsafeArchive, check_archive, docx_text
from .legibility import legibility_findings
from .model import CHECK_ORDER, LEGIBILITY, ORIENTATION, READABLE, SEAL, Finding, InspectionSpec
from .orientation import orientation_findings
from .pages import Document, Page, Unreadable, open_document
from .seal import find_seals, seal_finding
from .sniff import SNIFF_BYTES, sniff_type
from .wordcount import count_words
from .wording import contains, heading_findings, length_findings

MIN_TEXT_LAYER_WORDS = 10   # fewer counted 字 than this and the page is treated as a scan
MAX_FINDINGS_PER_CHECK = 20  # beyond this, one summary line instead of one line per page
SEAL_DPI = ocr.OCR_DPI
MB = 1024 * 1024

_KIND_NAMES = {"docx": "Word", "xlsx": "Excel"}


def inspect_file(path: str, spec: InspectionSpec) -> list[Finding]:
    """All findings for the file at ``path``; never raises for a bad file."""
    try:
        findings = _inspect(os.fspath(path), spec)
    except MemoryError:
        findings = [Finding(READABLE, "fail", None,
                            "文件检查所需内存超过上限，文件可能过大或结构异常，请精简后重新上传")]
    except Exception as error:  # noqa: BLE001 — a broken file must end as a finding
        findings = [Finding(READABLE, "fail", None,
                            f"文件检查异常（{type(error).__name__}），未能完成检查，请确认文件完好后重新上传")]
    return _ordered(findings)


def _ordered(findings: list[Finding]) -> list[Finding]:
    """Findings grouped by check in ``CHECK_ORDER``, pages ascending, long runs collapsed."""
    result = []
    for check in CHECK_ORDER:
        group = [finding for finding in findings if finding.check == check]
        problems = [finding for finding in group if finding.status != "pass"]
        if len(problems) > MAX_FINDINGS_PER_CHECK:
            rest = problems[MAX_FINDINGS_PER_CHECK:]
            status = "fail" if any(finding.status == "fail" for finding in rest) else "warn"
            group = problems[:MAX_FINDINGS_PER_CHECK] + [Finding(
                check, status, rest[0].page,
                f"另有{len(rest)}处同类问题（自第{rest[0].page}页起），请逐页核对")]
        result.extend(group)
    return result


def _inspect(path: str, spec: InspectionSpec) -> list[Finding]:
    try:
        size = os.path.getsize(path)
        with open(path, "rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError:
        return [Finding(READABLE, "fail", None, "文件无法读取，请重新上传")]
    if size == 0:
        return [Finding(READABLE, "fail", None, "文件为空（0字节），请重新上传")]
    if size > spec.max_bytes:
        return [Finding(READABLE, "fail", None,
                        f"文件大小约{size / MB:.1f}MB，超过上限{spec.max_bytes / MB:.0f}MB，"
                        "请压缩后重新上传")]
    kind = sniff_type(head)
    if kind is None:
        return [Finding(READABLE, "fail", None, "无法识别文件格式，请上传PDF、JPG或PNG格式的文件")]
    if kind in ("docx", "xlsx"):
        return _inspect_office(path, kind, spec)
    if kind == "mp4":
        return [Finding(READABLE, "pass", None, "视频文件格式正确（MP4）")]
    try:
        with open_document(path, kind) as document:
            return _inspect_document(document, spec)
    except Unreadable as problem:
        return [Finding(READABLE, "fail", None, str(problem))]


def _inspect_office(path: str, kind: str, spec: InspectionSpec) -> list[Finding]:
    name = _KIND_NAMES[kind]
    try:
        summary = check_archive(path)
        text = docx_text(path) if kind == "docx" and (spec.max_chars or spec.headings) else ""
    except UnsafeArchive as problem:
        return [Finding(READABLE, "fail", None, str(problem))]
    findings = [Finding(READABLE, "pass", None, f"{name}文件可正常打开（{summary.entries}个部件）")]
    if spec.seal_required:
        findings.append(Finding(SEAL, "fail", None,
                                f"{name}文件无法体现公章，请上传在落款处加盖公章后的扫描件或PDF"))
    if kind == "docx":
        findings.extend(_text_findings(text, spec, estimated=False, complete=True))
    return findings


def _text_findings(text: str, spec: InspectionSpec, estimated: bool,
                   complete: bool) -> list[Finding]:
    findings = []
    if spec.max_chars is not None:
        findings.extend(length_findings(text, spec.max_chars, estimated, complete))
    if spec.headings:
        findings.extend(heading_findings(text, spec.headings))
    return findings


@dataclass
class _Walk:
    """What the page walk has gathered so far."""

    spec: InspectionSpec
    page_count: int
    deadline: float
    need: ocr.TextNeed
    findings: list[Finding] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    ocr_pages: int = 0
    unchecked: list[int] = field(default_factory=list)
    scanned: int = 0
    angles_known: int = 0
    marker_pages: int = 0
    last_page_seal: Finding | None = None

    @property
    def seal_mode(self) -> str:
        return self.spec.seal_pages if self.spec.seal_required else "none"


def _text_need(spec: InspectionSpec) -> ocr.TextNeed:
    if spec.max_chars is not None:
        return ocr.TextNeed.ALL
    if spec.headings or (spec.seal_required and spec.seal_pages == "marker"):
        return ocr.TextNeed.SHORT_LINES
    return ocr.TextNeed.NONE


def _inspect_document(document: Document, spec: InspectionSpec) -> list[Finding]:
    count = document.page_count
    if count == 0:
        return [Finding(READABLE, "fail", None, "文件没有任何页面，请重新导出后上传")]
    if count > spec.max_pages:
        return [Finding(READABLE, "fail", None,
                        f"文件共{count}页，超过{spec.max_pages}页的上限，请精简或拆分后上传")]
    walk = _Walk(spec, count, time.monotonic() + spec.time_budget_s, _text_need(spec))
    walk.findings.append(Finding(READABLE, "pass", None, f"文件可正常打开，共{count}页"))
    if document.restricted:
        walk.findings.append(Finding(READABLE, "warn", None,
                                     "文件设置了权限密码（限制编辑或打印），建议上传未加密的PDF"))
    for page in document.pages():
        _inspect_page(walk, page)
    _finish(walk)
    return walk.findings


def _inspect_page(walk: _Walk, page: Page) -> None:
    n = page.number
    if page.oversized_image:
        megapixels = page.oversized_image // 10_000
        walk.findings.append(Finding(READABLE, "fail", n,
                                     f"第{n}页含超大图片（约{megapixels}万像素），"
                                     "超过检查上限，请压缩图片后重新导出"))
        return
    image, reading = None, None
    scanned = count_words(page.text) < MIN_TEXT_LAYER_WORDS
    if scanned:
        walk.scanned += 1
        if walk.ocr_pages < walk.spec.ocr_pages and time.monotonic() < walk.deadline:
            image = page.render(ocr.OCR_DPI)
            reading = ocr.read_page(image, walk.need)
            walk.ocr_pages += 1
        else:
            walk.unchecked.append(n)
    angle = reading.angle if reading else (None if scanned else page.text_angle)
    walk.angles_known += angle is not None
    walk.findings.extend(orientation_findings(page, angle))
    walk.findings.extend(legibility_findings(page, reading.sharpness if reading else None,
                                             walk.spec))
    text = reading.text if reading else page.text
    walk.texts.append(text)
    _check_seal(walk, page, image, text)


def _check_seal(walk: _Walk, page: Page, image, text: str) -> None:
    mode = walk.seal_mode
    is_last = page.number == walk.page_count
    marked = mode == "marker" and any(contains(text, m) for m in walk.spec.markers)
    walk.marker_pages += marked
    wanted = mode == "all" or (mode == "last" and is_last) or marked
    fallback = mode == "marker" and is_last and not marked and walk.marker_pages == 0
    if not (wanted or fallback):
        return
    seals = find_seals(image if image is not None else page.render(SEAL_DPI))
    finding = seal_finding(page.number, seals, by_fallback=fallback)
    if wanted:
        walk.findings.append(finding)
    else:
        walk.last_page_seal = finding


def _finish(walk: _Walk) -> None:
    if walk.last_page_seal is not None and walk.marker_pages == 0:
        walk.findings.append(walk.last_page_seal)
    if walk.unchecked:
        pages = _page_ranges(walk.unchecked)
        for check in (ORIENTATION, LEGIBILITY):
            walk.findings.append(Finding(
                check, "warn", walk.unchecked[0],
                f"第{pages}页为扫描页，超出自动识别的范围（每份最多{walk.spec.ocr_pages}页、"
                f"{walk.spec.time_budget_s:.0f}秒），未自动检查，请人工核对方向与清晰度"))
    checked = {f.check for f in walk.findings if f.status != "pass"}
    if ORIENTATION not in checked and walk.angles_known:
        walk.findings.append(Finding(ORIENTATION, "pass", None, "各页面内容均为正向"))
    if LEGIBILITY not in checked and walk.scanned:
        walk.findings.append(Finding(LEGIBILITY, "pass", None, "扫描页分辨率与清晰度符合要求"))
    estimated = walk.ocr_pages > 0
    walk.findings.extend(_text_findings("\n".join(walk.texts), walk.spec, estimated,
                                        complete=not walk.unchecked))


def _page_ranges(numbers: list[int]) -> str:
    """[3, 4, 5, 9] → "3–5、9"."""
    spans = []
    start = previous = numbers[0]
    for current in numbers[1:]:
        if current != previous + 1:
            spans.append((start, previous))
            start = current
        previous = current
    spans.append((start, previous))
    return "、".join(str(a) if a == b else f"{a}–{b}" for a, b in spans)
