"""Automatic checks of uploaded application materials (申报材料), pure Python, no Django.

指南 三 各子项目 说明："上述申报材料须在落款处加盖公章。申报材料应当确保页面文字、公章、签名等
实质性内容清晰可辨，各页面主要内容均为正向，不可横置或倒置。" and 三（七）："报告字数限3万字以内".

Checks: ``readable`` (opens safely: not corrupt, not encrypted, sane page count, no bombs),
``orientation``, ``seal``, ``legibility``, ``length`` and ``headings``. ``inspect_file`` runs
them in-process; ``inspect_file_isolated`` runs them in a child with memory and time limits,
which is what a server should use for files from outside.
"""

from .isolation import inspect_file_isolated
from .model import DEFAULT_SEAL_MARKERS, Finding, InspectionSpec
from .report import precheck_json
from .runner import inspect_file
from .sniff import SNIFF_BYTES, sniff_type
from .wordcount import count_words

__all__ = [
    "DEFAULT_SEAL_MARKERS",
    "SNIFF_BYTES",
    "Finding",
    "InspectionSpec",
    "count_words",
    "inspect_file",
    "inspect_file_isolated",
    "precheck_json",
    "sniff_type",
]
