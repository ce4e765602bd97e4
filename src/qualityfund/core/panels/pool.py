"""The expert pool (专家库) as an Excel workbook: export, and an all-or-nothing import.

One row per expert, the columns below. Import checks every row first and reports every
problem as "第N行“列名”列：…"; nothing is saved unless the whole file is valid.
"""

import io
import re
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException

from qualityfund.core.accounts import passwords
from qualityfund.core.accounts.models import Role, User
from qualityfund.core.common import audit, text
from qualityfund.core.common.errors import RuleViolation
from qualityfund.core.common.exports import xlsx_bytes
from qualityfund.core.common.permissions import require
from qualityfund.domain.credit_code import InvalidCreditCode, validate

from .models import EXPERTISE, Expert

COLUMNS = ("登录名", "姓名", "职称", "手机号码", "邮箱", "工作单位", "工作单位统一社会信用代码",
           "专业领域", "关联单位", "可参加本年度评审")
WIDTHS = (14, 10, 14, 15, 26, 30, 24, 30, 46, 14)
SEPARATORS = re.compile(r"[、，,;；/\s]+")
USERNAME = re.compile(r"^[A-Za-z0-9_.@+-]{3,150}$")
YES, NO = ("是", "y", "yes", "true", "1"), ("否", "n", "no", "false", "0")


@dataclass(frozen=True)
class ImportResult:
    created: list[str]
    updated: list[str]


def export_workbook(experts) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "专家库"
    sheet.append(COLUMNS)
    for cell, width in zip(sheet[1], WIDTHS, strict=True):
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="8B1A1A")
        sheet.column_dimensions[cell.column_letter].width = width
    for expert in experts:
        sheet.append([
            expert.user.username, expert.name, expert.title, expert.phone, expert.email,
            expert.employer_name, expert.employer_code, "、".join(expert.expertise),
            "\n".join(f"{r['code']} {r['name']}".strip() for r in expert.relations),
            "是" if expert.available else "否",
        ])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    return xlsx_bytes(workbook)


# Columns written into the expert's record as typed: their limits and, for names, visibility.
TEXT_COLUMNS = {"姓名": "name", "职称": "title", "手机号码": "phone", "工作单位": "employer_name"}


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _row(number: int, values: tuple) -> tuple[dict, list[str]]:
    """One data row as expert fields, and its problems naming row and column."""
    cells = dict(zip(COLUMNS, (_text(v) for v in values), strict=False))
    problems = []

    def bad(column, message):
        problems.append(f"第{number}行“{column}”列：{message}")

    for column in ("登录名", "姓名", "工作单位", "工作单位统一社会信用代码", "专业领域"):
        if not cells.get(column):
            bad(column, "不能为空")
    for column, name in TEXT_COLUMNS.items():
        try:
            text.clean(Expert, name, cells.get(column, ""))
        except RuleViolation as exc:
            bad(column, exc.message)
    username = cells.get("登录名", "")
    if username and not USERNAME.match(username):
        bad("登录名", "只能由3至150位字母、数字和 _ . @ + - 组成")
    if cells.get("邮箱"):
        try:
            validate_email(cells["邮箱"])
        except ValidationError:
            bad("邮箱", f"“{cells['邮箱']}”不是有效的邮箱地址")
    code = cells.get("工作单位统一社会信用代码", "")
    if code:
        try:
            code = validate(code)
        except InvalidCreditCode as exc:
            bad("工作单位统一社会信用代码", exc.message)
    fields = [f for f in SEPARATORS.split(cells.get("专业领域", "")) if f]
    unknown = [f for f in fields if f not in EXPERTISE]
    if unknown:
        bad("专业领域", f"“{'、'.join(unknown)}”不在专家库的专业领域中（{'、'.join(EXPERTISE)}）")
    relations = []
    for line in filter(None, (x.strip() for x in cells.get("关联单位", "").splitlines())):
        raw_code, _, name = line.partition(" ")
        try:
            relations.append({"code": validate(raw_code), "name": name.strip()})
        except InvalidCreditCode as exc:
            bad("关联单位", f"“{line}”：{exc.message}（每行一个单位：统一社会信用代码 空格 单位名称）")
    flag = cells.get("可参加本年度评审", "").lower()
    if flag and flag not in YES + NO:
        bad("可参加本年度评审", "应填“是”或“否”")
    data = {"username": username, "name": cells.get("姓名", ""), "title": cells.get("职称", ""),
            "phone": cells.get("手机号码", ""), "email": cells.get("邮箱", ""),
            "employer_name": cells.get("工作单位", ""), "employer_code": code,
            "expertise": fields, "relations": relations, "available": flag not in NO}
    return data, problems


def parse_workbook(content: bytes) -> tuple[list[dict], list[str]]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError):
        return [], ["文件不是有效的 Excel 工作簿（.xlsx）"]
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = tuple(_text(v) for v in next(rows, ()))
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        return [], [f"第1行（表头）缺少列：{'、'.join(missing)}；请使用导出的专家库模板"]
    order = [header.index(c) for c in COLUMNS]
    records, problems, seen = [], [], {}
    for number, values in enumerate(rows, start=2):
        if not any(_text(v) for v in values):
            continue
        values = tuple(values[i] if i < len(values) else None for i in order)
        data, row_problems = _row(number, values)
        if data["username"] in seen:
            row_problems.append(f"第{number}行“登录名”列：与第{seen[data['username']]}行重复")
        seen.setdefault(data["username"], number)
        problems += row_problems
        records.append({**data, "row": number})
    if not records and not problems:
        problems.append("文件中没有专家数据")
    return records, problems


@transaction.atomic
def import_experts(content: bytes, *, by) -> ImportResult:
    """Create or update experts (by 登录名) from a workbook; all rows or none."""
    require(by, "panels.manage_pool")
    records, problems = parse_workbook(content)
    users = {u.username: u for u in User.objects.filter(
        username__in=[r["username"] for r in records]).select_related("expert")}
    for record in records:
        user = users.get(record["username"])
        if user is not None and user.role != Role.EXPERT:
            problems.append(f"第{record['row']}行“登录名”列：{record['username']} "
                            "已被其他角色的账号使用")
    if problems:
        raise RuleViolation("专家库导入失败，未导入任何数据：" + "；".join(problems),
                            field="file", problems=problems)
    created, updated = [], []
    for record in records:
        record.pop("row")
        username = record.pop("username")
        user = users.get(username)
        if user is None:
            user = User(username=username, role=Role.EXPERT, email=record["email"],
                        last_name=record["name"])
            user.set_unusable_password()
            user.save()
        expert = Expert.objects.filter(user=user).first()
        if expert is None:
            expert = Expert.objects.create(user=user, **record)
            created.append(username)
        else:
            for name, value in record.items():
                setattr(expert, name, value)
            expert.save()
            updated.append(username)
        audit.record(by, "expert.import", expert, username=username, **{
            k: v for k, v in record.items() if k != "relations"},
            relations=[r["code"] for r in record["relations"]])
    return ImportResult(created=created, updated=updated)


def issue_password(expert: Expert, *, by) -> str:
    """A new initial password for an expert's login, shown once to the admin; the expert
    changes it at first log-in."""
    require(by, "panels.manage_pool")
    return passwords.issue_password(expert.user, by=by)


@transaction.atomic
def set_availability(expert: Expert, available: bool, *, by) -> Expert:
    require(by, "panels.manage_pool")
    expert.available = available
    expert.save(update_fields=["available", "updated_at"])
    audit.record(by, "expert.availability", expert, available=available)
    return expert
