"""Imports by admins: the lists the disqualifier checks read, and projects funded in
earlier years."""

import hashlib

from django.db import transaction

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
def import_list(kind: str, uploaded, *, by) -> ListImport:
    """A new version of one list (CSV or Excel: 统一社会信用代码, 名称, 日期, 来源).

    The new file replaces the list's earlier entries: a list is a snapshot of its source."""
    require(by, "funding.import_list")
    if kind not in LIST_CHECKS:
        raise RuleViolation(f"未知名单类型：{kind}", field="kind")
    rows, sha = _table(uploaded, LIST_COLUMNS)
    ListEntry.objects.filter(kind=kind).delete()
    batch = ListImport.objects.create(kind=kind, original_name=uploaded.name[:255], sha256=sha,
                                      rows=len(rows), imported_by=by)
    ListEntry.objects.bulk_create(
        [ListEntry(kind=kind, batch=batch, **row) for row in rows], batch_size=1000)
    audit.record(by, "funding.list.import", batch, kind=kind, rows=len(rows), sha256=sha)
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
