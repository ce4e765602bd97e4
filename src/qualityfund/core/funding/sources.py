"""Where a disqualifier check looks: the lists admins import, or a live service.

Each situation of 指南 七（七） with a list behind it is answered by a ``CheckSource``. The
default for every kind is the imported list of that kind; a deployment that can query a
live service (the credit system, the court's bankruptcy notices) names its class in the
setting ``FUNDING_CHECK_SOURCES = {"dishonesty_list": "package.module.Class"}``. The class
is built with no arguments and must satisfy the protocol below.
"""

from dataclasses import asdict, dataclass
from typing import Protocol, runtime_checkable

from django.conf import settings
from django.utils.module_loading import import_string

from .models import ListEntry, ListImport, ListKind


@dataclass(frozen=True)
class Finding:
    """One matching record: who, since when, according to whom."""

    credit_code: str
    name: str
    listed_on: str
    source: str

    def as_dict(self) -> dict:
        return asdict(self)


@runtime_checkable
class CheckSource(Protocol):
    kind: str

    def describe(self) -> str:
        """The source as it is recorded on the check (name, version or date)."""

    def lookup(self, organisation) -> list[Finding]:
        """The records about ``organisation`` (an accounts.Organisation)."""


class ImportedList:
    """The latest entries admins imported for one kind, matched on the credit code."""

    def __init__(self, kind: str):
        self.kind = kind

    def describe(self) -> str:
        label = ListKind(self.kind).label
        latest = ListImport.objects.filter(kind=self.kind).first()
        if latest is None:
            return f"{label}（尚未导入）"
        return (f"{label}（管理员导入：{latest.original_name}，"
                f"{latest.imported_at:%Y-%m-%d}，{latest.rows}条）")

    def lookup(self, organisation) -> list[Finding]:
        rows = ListEntry.objects.filter(kind=self.kind, credit_code=organisation.credit_code)
        return [Finding(r.credit_code, r.name, r.listed_on.isoformat(), r.source)
                for r in rows.order_by("listed_on", "id")]


def source_for(kind: str) -> CheckSource:
    """The configured source of ``kind``, or the imported list."""
    configured = getattr(settings, "FUNDING_CHECK_SOURCES", {}).get(kind)
    if configured:
        source = import_string(configured)()
        if not isinstance(source, CheckSource):
            raise TypeError(f"{configured} 不符合 CheckSource 接口（kind/describe/lookup）")
        return source
    return ImportedList(kind)


LIST_CHECKS = tuple(ListKind.values)
