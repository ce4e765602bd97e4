"""Reading the lists admins import (CSV or Excel) into checked rows.

Every problem names its row (as the spreadsheet numbers it, header = row 1) and its column,
in Chinese, so that the person who prepared the file can fix it; nothing is imported while
any problem remains.
"""

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime

from openpyxl import load_workbook

from qualityfund.core.common.text import NameField
from qualityfund.domain import credit_code
from qualityfund.domain.text import check_name, check_text

from .models import EarlierProject, ListEntry


@dataclass(frozen=True)
class Column:
    key: str
    title: str  # the header the template prints
    aliases: tuple[str, ...] = ()
    required: bool = True
    kind: str = "text"  # text | credit_code | date | year | yuan
    limit: int | None = None  # 字, for text
    name: bool = False  # a name: every character visible (domain.text)


def _text(model, field: str, title: str, aliases=(), **kwargs) -> Column:
    """A text column stored in ``model.field``: its limit, and whether it is a name."""
    model_field = model._meta.get_field(field)
    return Column(field, title, aliases, limit=model_field.max_length,
                  name=isinstance(model_field, NameField), **kwargs)


class TableError(ValueError):
    def __init__(self, problems: list[str]):
        super().__init__("；".join(problems))
        self.problems = problems


LIST_COLUMNS = (
    Column("credit_code", "统一社会信用代码", ("信用代码", "credit_code"), kind="credit_code"),
    _text(ListEntry, "name", "名称", ("单位名称", "主体名称", "name")),
    Column("listed_on", "日期", ("列入日期", "公告日期", "date"), kind="date"),
    _text(ListEntry, "source", "来源", ("数据来源", "source")),
)

EARLIER_COLUMNS = (
    Column("year", "资助年度", ("年度", "year"), kind="year"),
    Column("credit_code", "统一社会信用代码", ("信用代码", "credit_code"), kind="credit_code"),
    _text(EarlierProject, "org_name", "单位名称", ("名称", "org_name")),
    _text(EarlierProject, "subprogramme", "子项目", ("subprogramme",),
          required=False),
    _text(EarlierProject, "project_name", "项目名称", ("project_name",)),
    _text(EarlierProject, "summary", "项目简介", ("summary",), required=False),
    Column("amount", "资助金额（元）", ("资助金额", "amount"), required=False, kind="yuan"),
    _text(EarlierProject, "source", "来源", ("source",), required=False),
)


def _rows(name: str, content: bytes) -> list[list[object]]:
    if content[:2] == b"PK":
        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
        except Exception as exc:
            raise TableError([f"{name}：无法读取Excel文件（{exc.__class__.__name__}）"]) from exc
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise TableError([f"{name}：文件既不是Excel（.xlsx）也不是UTF-8或GBK编码的CSV"])
    return [row for row in csv.reader(io.StringIO(text))]


def _header_map(header: list[object], columns: tuple[Column, ...], name: str) -> dict[str, int]:
    titles = [str(h or "").strip() for h in header]
    found, problems = {}, []
    for column in columns:
        for index, title in enumerate(titles):
            if title == column.title or title in column.aliases:
                found[column.key] = index
                break
        else:
            if column.required:
                problems.append(f"{name}：第1行（表头）缺少“{column.title}”列")
    if problems:
        raise TableError(problems)
    return found


def _value(raw: object, column: Column) -> object:
    """The cell as the column's type; ValueError with the reason in Chinese."""
    if isinstance(raw, str):
        raw = raw.strip()
    if raw is None or raw == "":
        if column.required:
            raise ValueError("不能为空")
        return "" if column.kind == "text" else None
    if column.kind == "credit_code":
        try:
            return credit_code.validate(str(raw))
        except credit_code.InvalidCreditCode as exc:
            raise ValueError(exc.message) from None
    if column.kind == "date":
        if isinstance(raw, datetime):
            return raw.date()
        if isinstance(raw, date):
            return raw
        text = str(raw).replace("/", "-").replace(".", "-")
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"“{raw}”不是有效日期，应为 2025-06-01 的格式") from None
    if column.kind in ("year", "yuan"):
        text = str(raw).replace(",", "")
        if isinstance(raw, float) and raw.is_integer():
            text = str(int(raw))
        if not text.isdigit():
            raise ValueError(f"“{raw}”应为整数")
        value = int(text)
        if column.kind == "year" and not 2000 <= value <= 2100:
            raise ValueError(f"“{raw}”不是有效年度")
        return value
    value = str(raw)
    if column.limit:
        (check_name if column.name else check_text)(value, column.limit, column.title)
    return value


def read_table(name: str, content: bytes, columns: tuple[Column, ...]) -> list[dict]:
    """The file's data rows as dicts keyed by column key; TableError lists every problem."""
    rows = [r for r in _rows(name, content)]
    if not rows:
        raise TableError([f"{name}：文件为空"])
    positions = _header_map(rows[0], columns, name)
    records, problems = [], []
    for number, row in enumerate(rows[1:], start=2):
        if all(cell is None or str(cell).strip() == "" for cell in row):
            continue
        record = {}
        for column in columns:
            index = positions.get(column.key)
            raw = row[index] if index is not None and index < len(row) else None
            try:
                record[column.key] = _value(raw, column)
            except ValueError as exc:
                problems.append(f"第{number}行“{column.title}”列：{exc}")
        records.append(record)
    if problems:
        raise TableError(problems)
    if not records:
        raise TableError([f"{name}：除表头外没有数据行"])
    return records
