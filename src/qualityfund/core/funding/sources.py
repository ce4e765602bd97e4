"""Where a disqualifier check looks: providers behind one interface.

Each situation of 指南 七（七） with a list behind it is answered by a ``CheckSource``. The
default provider of every kind is the imported list of that kind (``ImportedList``); a
deployment that can query a live service (the credit system, the court's bankruptcy notices)
names its class in the setting ``FUNDING_CHECK_SOURCES = {"dishonesty_list":
"package.module.Class"}``. The class is built with no arguments and must satisfy the protocol.

A check that could not look is never "未发现": a list never imported, not yet approved, or
older than its freshness setting, and a provider that fails or does not answer within
``FUNDING_CHECK_TIMEOUT`` seconds, all give "未能查询", which blocks clearance.
"""

import logging
import threading
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from typing import Protocol, runtime_checkable

from django.conf import settings
from django.db import connections
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import DisqualifierCheck, ListEntry, ListImport, ListKind

log = logging.getLogger(__name__)

Outcome = DisqualifierCheck.Outcome

# How old an imported list may be, in days, before a check against it is 未能查询. A list of
# court or credit records moves every day; the industry catalogue rarely. A deployment
# overrides any of them with the setting ``FUNDING_LIST_MAX_AGE_DAYS``.
MAX_AGE_DAYS = {
    ListKind.DISHONESTY: 30,
    ListKind.BANKRUPTCY: 30,
    ListKind.INDUSTRY: 365,
    ListKind.GOVERNMENT: 180,
    ListKind.ENTITY_GONE: 30,
}
DEFAULT_TIMEOUT = 10  # seconds a live provider has to answer


@dataclass(frozen=True)
class Finding:
    """One matching record: who, since when, according to whom."""

    credit_code: str
    name: str
    listed_on: str
    source: str

    def as_dict(self) -> dict:
        return asdict(self)


class SourceUnavailable(Exception):
    """The source cannot answer now; the message says why, in Chinese."""


@runtime_checkable
class CheckSource(Protocol):
    kind: str

    def describe(self) -> str:
        """The source as it is recorded on the check (name, version or date)."""

    def lookup(self, organisation) -> list[Finding]:
        """The records about ``organisation`` (an accounts.Organisation); raises
        ``SourceUnavailable`` (or anything) when it cannot answer."""


def max_age_days(kind: str) -> int:
    return {**MAX_AGE_DAYS, **getattr(settings, "FUNDING_LIST_MAX_AGE_DAYS", {})}[kind]


def active_import(kind: str) -> ListImport | None:
    return (ListImport.objects.filter(kind=kind, status=ListImport.Status.ACTIVE)
            .select_related("imported_by", "reviewed_by").first())


def expired(batch: ListImport, now=None) -> bool:
    now = now or timezone.now()
    return batch.imported_at < now - timedelta(days=max_age_days(batch.kind))


class ImportedList:
    """The provider for list import: the approved list of one kind, matched on the credit
    code. It reads this database, so it runs in the request's own thread."""

    in_process = True

    def __init__(self, kind: str):
        self.kind = kind
        self._batch = active_import(kind)

    def describe(self) -> str:
        label = ListKind(self.kind).label
        batch = self._batch
        if batch is None:
            return f"{label}（尚未导入生效）"
        return (f"{label}（来源：{batch.source or '未注明'}；{batch.original_name}，"
                f"{timezone.localtime(batch.imported_at):%Y-%m-%d}导入，{batch.rows}条；"
                f"导入人{batch.imported_by.display()}，"
                f"复核人{batch.reviewed_by.display() if batch.reviewed_by else '—'}）")

    def lookup(self, organisation) -> list[Finding]:
        batch = self._batch
        if batch is None:
            raise SourceUnavailable("名单尚未导入，或导入后尚未经第二名经办人员复核生效")
        if expired(batch):
            raise SourceUnavailable(
                f"名单于{timezone.localtime(batch.imported_at):%Y-%m-%d}导入，"
                f"已超过{max_age_days(self.kind)}天的有效期，须导入最新名单")
        rows = ListEntry.objects.filter(batch=batch, credit_code=organisation.credit_code)
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


@dataclass(frozen=True)
class Answer:
    """What one source said about one organisation: clear, hit, or unavailable (with why)."""

    outcome: str
    source: str
    findings: list[Finding] = field(default_factory=list)
    note: str = ""


def _within(seconds: float, function, *args):
    """``function(*args)`` in a worker thread; TimeoutError when it has not returned in
    ``seconds`` (the thread is left to finish on its own: a hung service cannot hold the
    officer's request)."""
    outcome: dict = {}

    def run():
        try:
            outcome["value"] = function(*args)
        except Exception as exc:  # noqa: BLE001 — handed to the calling thread as it is
            outcome["error"] = exc
        finally:
            connections.close_all()

    worker = threading.Thread(target=run, name="funding-check-source", daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise TimeoutError
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def ask(source: CheckSource, organisation) -> Answer:
    """Ask ``source`` about ``organisation``; any failure is 未能查询, never 未发现."""
    timeout = float(getattr(settings, "FUNDING_CHECK_TIMEOUT", DEFAULT_TIMEOUT))
    try:
        description = source.describe()
    except Exception:
        log.exception("check source %s failed to describe itself", source.kind)
        description = f"{ListKind(source.kind).label}（查询服务）"
    try:
        if getattr(source, "in_process", False):
            findings = source.lookup(organisation)
        else:
            findings = _within(timeout, source.lookup, organisation)
    except SourceUnavailable as exc:
        return Answer(Outcome.UNAVAILABLE, description, note=str(exc))
    except TimeoutError:
        return Answer(Outcome.UNAVAILABLE, description,
                      note=f"查询服务超过{timeout:g}秒未答复")
    except Exception as exc:
        log.exception("check source %s failed", source.kind)
        return Answer(Outcome.UNAVAILABLE, description,
                      note=f"查询服务出错（{type(exc).__name__}）")
    return Answer(Outcome.HIT if findings else Outcome.CLEAR, description, list(findings))


LIST_CHECKS = tuple(ListKind.values)
# 七（七）1 and 8: no list answers them; an officer's explicit judgement, with a reason.
JUDGEMENT_CHECKS = ("guide_requirements", "other_law")
