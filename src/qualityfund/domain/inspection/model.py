"""The values the inspection speaks in: what to check (spec) and what was found (finding)."""

from dataclasses import dataclass
from typing import Literal

Status = Literal["pass", "warn", "fail"]

READABLE = "readable"
ORIENTATION = "orientation"
SEAL = "seal"
LEGIBILITY = "legibility"
LENGTH = "length"
HEADINGS = "headings"
CHECK_ORDER = (READABLE, ORIENTATION, SEAL, LEGIBILITY, LENGTH, HEADINGS)

# Markers of the place a seal belongs: the pledge letter ends each part with "（单位盖章）"
# and every report template (附件2–7) with "申报单位（盖章）：". Parentheses are compared
# width-insensitively, so "(盖章)" matches too.
DEFAULT_SEAL_MARKERS = ("单位盖章", "（盖章）")
SEAL_PAGE_MODES = ("marker", "last", "all", "none")


@dataclass(frozen=True)
class Finding:
    """One result of one check, in a sentence an applicant can act on."""

    check: str
    status: Status
    page: int | None
    message: str

    def as_dict(self) -> dict:
        return {"check": self.check, "status": self.status, "page": self.page,
                "message": self.message}


@dataclass(frozen=True)
class InspectionSpec:
    """What one kind of material must satisfy.

    ``seal_pages`` says which pages must carry the seal: ``marker`` — pages whose text
    contains one of ``markers`` (the last page if none does); ``last``; ``all``; ``none``.
    ``ocr_pages`` and ``time_budget_s`` bound the slow part (OCR of scanned pages); pages
    beyond them are reported as not checked rather than silently skipped.
    """

    seal_required: bool = False
    seal_pages: str = "marker"
    markers: tuple[str, ...] = DEFAULT_SEAL_MARKERS
    max_chars: int | None = None
    headings: tuple[str, ...] = ()
    min_dpi: int = 150
    max_pages: int = 500
    max_bytes: int = 100 * 1024 * 1024
    ocr_pages: int = 60
    time_budget_s: float = 45.0

    def __post_init__(self) -> None:
        if self.seal_pages not in SEAL_PAGE_MODES:
            raise ValueError(
                f"seal_pages must be one of {SEAL_PAGE_MODES}, not {self.seal_pages!r}")
        if isinstance(self.markers, str):
            raise TypeError("markers must be a tuple of strings, not a string")

    @property
    def fail_dpi(self) -> int:
        """Below this resolution small print is lost: a fail, not a warning."""
        return min(100, self.min_dpi)
