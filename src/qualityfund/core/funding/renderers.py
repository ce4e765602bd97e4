"""资助计划下达 as documents: the final plan as PDF (WeasyPrint, Noto CJK) and Excel.

Amounts are printed in 元 to the fen and in upper-case Chinese (大写), line by line and in
total, as formal financial documents require.
"""

from decimal import Decimal
from functools import cache
from pathlib import Path

from django.template import Context, Engine
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from weasyprint import HTML

from qualityfund.core.common.exports import xlsx_bytes
from qualityfund.core.documents import fonts
from qualityfund.core.documents.pdf import FONTS
from qualityfund.domain.money import format_yuan, to_wan, upper_case

from . import queries
from .models import ItemStatus


@cache
def _engine() -> Engine:
    return Engine(dirs=[Path(__file__).parent / "templates"], autoescape=True)


def final_plan_rows(plan) -> list[dict]:
    rows = []
    funded = [i for i in queries.plan_items(plan) if i.status == ItemStatus.FUNDED]
    for number, item in enumerate(funded, start=1):
        org = item.organisation_as_planned  # as decided (决策时快照)
        rows.append({
            "number": number, "org": org.name, "credit_code": org.credit_code,
            "project": item.application.project_name, "application_number":
                item.application.number or "", "rank": item.rank,
            "amount": Decimal(item.amount), "yuan": format_yuan(item.amount),
            "wan": to_wan(item.amount), "upper": upper_case(item.amount),
        })
    return rows


def final_plan_context(plan) -> dict:
    rows = final_plan_rows(plan)
    total = sum((r["amount"] for r in rows), Decimal(0))
    spec = plan.spec
    return {
        "title": f"{plan.guide.year}年度深圳市质量品牌领域专项资金资助计划",
        "subtitle": f"{spec.name}（指南{spec.clause}）",
        "guide": str(plan.guide),
        "rows": rows,
        "total_yuan": format_yuan(total), "total_upper": upper_case(total),
        "total_wan": to_wan(total), "count": len(rows),
        "meeting_date": plan.meeting_date, "decision": plan.decision_text,
        "notice_from": timezone.localtime(plan.notice_starts_at) if plan.notice_starts_at
        else None,
        "notice_to": timezone.localtime(plan.notice_ends_at) if plan.notice_ends_at else None,
        "objections": plan.objections.count(),
        "issued_at": timezone.localtime(plan.finalised_at) if plan.finalised_at else None,
        "authority": plan.guide.spec.decision_authority or "深圳市市场监督管理局",
        "fonts": FONTS,
    }


def final_plan_pdf(plan) -> bytes:
    fonts.require_cjk_fonts()
    html = _engine().get_template("funding/final_plan.html").render(
        Context(final_plan_context(plan)))
    return HTML(string=html).write_pdf(font_config=fonts.font_config())


def final_plan_xlsx(plan) -> bytes:
    context = final_plan_context(plan)
    book = Workbook()
    sheet = book.active
    sheet.title = "资助计划"
    sheet.append([context["title"]])
    sheet.append([context["subtitle"]])
    sheet.append(["序号", "申报单位", "统一社会信用代码", "项目名称", "申报编号",
                  "资助金额（元）", "资助金额（大写）"])
    for row in context["rows"]:
        sheet.append([row["number"], row["org"], row["credit_code"], row["project"],
                      row["application_number"], row["amount"], row["upper"]])
        sheet.cell(sheet.max_row, 6).number_format = "#,##0.00"
    sheet.append(["合计", f"{context['count']}个项目", "", "", "",
                  sum((r["amount"] for r in context["rows"]), Decimal(0)),
                  context["total_upper"]])
    sheet.cell(sheet.max_row, 6).number_format = "#,##0.00"
    sheet["A1"].font = Font(bold=True, size=14)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    for column, width in zip("ABCDEFG", (6, 36, 22, 40, 30, 18, 30), strict=True):
        sheet.column_dimensions[column].width = width
    return xlsx_bytes(book)
