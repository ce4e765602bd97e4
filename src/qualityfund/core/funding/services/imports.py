"""Imports by officers: the lists the disqualifier checks read (four eyes: one officer
imports, a second approves before a check reads it), and projects funded in the years before
the platform (the platform's own awards feed the checks by themselves: ``history``)."""

import hashlib

from django.db import transaction
from django.utils import timezone

from qualityfund.core.common import audit
from qualityfund.core.common.errors import RuleViolation
from qualityfund.core.common.permissions import require

from .. import similarity
from ..models import (
    EarlierProject,
    ListEntry,
    ListImport,
)
from ..sources import LIST_CHECKS
from ..tables import EARLIER_COLUMNS, LIST_COLUMNS, TableError, read_table
from .uploads import read_upload


def _table(uploaded, columns) -> tuple[list[dict], str]:
    data = read_upload(uploaded)
    try:
        rows = read_table(uploaded.name, data, columns)
    except TableError as exc:
        raise RuleViolation("导入失败：" + "；".join(exc.problems[:20]) + (
            f"；另有{len(exc.problems) - 20}处问题" if len(exc.problems) > 20 else ""),
            field="file", problems=exc.problems) from None
    return rows, hashlib.sha256(data).hexdigest()


@transaction.atomic
def import_list(kind: str, uploaded, *, source: str, by) -> ListImport:
    """A new version of one list (CSV or Excel: 统一社会信用代码, 名称, 日期, 来源), pending
    until a second officer approves it; ``source`` says where the file came from."""
    require(by, "funding.import_list")
    if kind not in LIST_CHECKS:
        raise RuleViolation(f"未知名单类型：{kind}", field="kind")
    source = (source or "").strip()
    if not source:
        raise RuleViolation("请填写名单来源（如：信用中国（广东深圳）2025年7月1日导出）",
                            field="source")
    rows, sha = _table(uploaded, LIST_COLUMNS)
    batch = ListImport.objects.create(kind=kind, source=source[:200],
                                      original_name=uploaded.name[:255], sha256=sha,
                                      rows=len(rows), imported_by=by)
    ListEntry.objects.bulk_create(
        [ListEntry(kind=kind, batch=batch, **row) for row in rows], batch_size=1000)
    audit.record(by, "funding.list.import", batch, kind=kind, rows=len(rows), sha256=sha,
                 source=source)
    return batch


@transaction.atomic
def review_list(batch: ListImport, *, approve: bool, by, note: str = "") -> ListImport:
    """The second officer's review of an imported list. Approved, it replaces the list in
    force (a list is a snapshot of its source); rejected, it is kept on record, unused."""
    require(by, "funding.review_list")
    batch = ListImport.objects.select_for_update().get(pk=batch.pk)
    if batch.status != ListImport.Status.PENDING:
        raise RuleViolation(f"该名单为“{batch.get_status_display()}”，无需复核", field="status")
    if batch.imported_by_id == by.pk:
        raise RuleViolation("名单须由导入人以外的另一名经办人员复核", field="reviewed_by")
    note = (note or "").strip()
    if not approve and not note:
        raise RuleViolation("退回名单须填写复核意见", field="note")
    if approve:
        replaced = ListImport.objects.filter(kind=batch.kind, status=ListImport.Status.ACTIVE)
        ListEntry.objects.filter(batch__in=replaced).delete()
        replaced.update(status=ListImport.Status.SUPERSEDED)
    batch.status = ListImport.Status.ACTIVE if approve else ListImport.Status.REJECTED
    batch.reviewed_by, batch.reviewed_at, batch.review_note = by, timezone.now(), note
    batch.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
    if not approve:
        batch.entries.all().delete()
    audit.record(by, "funding.list.approve" if approve else "funding.list.reject", batch,
                 kind=batch.kind, rows=batch.rows, sha256=batch.sha256, note=note)
    return batch


@transaction.atomic
def import_earlier(uploaded, *, by) -> int:
    """Projects funded in earlier years (Excel/CSV), stored with their signatures."""
    require(by, "funding.import_earlier")
    rows, sha = _table(uploaded, EARLIER_COLUMNS)
    projects = EarlierProject.objects.bulk_create(
        [EarlierProject(imported_by=by, **row) for row in rows])
    similarity.store_earlier(projects)
    audit.record(by, "funding.earlier.import", projects[0], rows=len(rows), sha256=sha,
                 file=uploaded.name[:255])
    return len(projects)
