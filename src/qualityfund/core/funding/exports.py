"""Excel exports of the funding pages, each with the filters of the page that exported it
printed above the table, so a sheet says what it is a selection of."""

from decimal import Decimal

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from qualityfund.core.applications.states import chinese_name
from qualityfund.core.common.exports import xlsx_bytes

from . import queries
from .models import PlanState


def _workbook(title: str, filters: queries.Filters, headers: list[str], rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=13)
    for label, value in filters.described():
        sheet.append([f"筛选条件：{label}", value])
    sheet.append(["导出时间", timezone.localtime().strftime("%Y-%m-%d %H:%M:%S")])
    sheet.append([])
    sheet.append(headers)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    for index, _ in enumerate(headers):
        sheet.column_dimensions[chr(ord("A") + index)].width = 18 if index < 26 else 10
    return xlsx_bytes(book)


def applications_xlsx(filters: queries.Filters) -> bytes:
    """Applications past review with their panel scores and check status."""
    rows, names = [], queries.SubprogrammeNames()
    for a in queries.applications_after_review(filters):
        hits = [c for c in a.current_checks if c.outcome == "hit"]
        org = a.organisation_as_submitted
        rows.append([a.number or "", names(a.guide_id, a.subprogramme), org.name,
                     org.credit_code, a.project_name, chinese_name(a.state),
                     a.review_score, a.review_tier, {True: "是", False: "否"}.get(
                         a.review_recommended, ""), a.review_amount or a.requested_amount,
                     len(a.current_checks), len(hits)])
    return _workbook("评审结果与查询情况", filters, [
        "申报编号", "子项目", "申报单位", "统一社会信用代码", "项目名称", "状态", "评审得分",
        "等次", "专家组推荐", "申请/建议金额（元）", "已查询情形数", "疑似情形数"], rows)


def checks_xlsx(filters: queries.Filters) -> bytes:
    rows = [[c.application.number or "", c.application.organisation_as_submitted.name,
             c.application.project_name, c.clause, c.situation, c.source,
             timezone.localtime(c.ran_at).strftime("%Y-%m-%d %H:%M:%S"), c.ran_by.display(),
             c.get_outcome_display(), c.get_decision_display() if c.decision else "",
             c.decision_reason] for c in queries.checks(filters)]
    return _workbook("不予资助情形查询", filters, [
        "申报编号", "申报单位", "项目名称", "指南条款", "情形", "查询来源", "查询时间", "查询人",
        "结果", "确认", "理由"], rows)


def plans_xlsx(filters: queries.Filters) -> bytes:
    rows, names = [], queries.SubprogrammeNames()
    for plan in queries.plans(filters).prefetch_related("items__application__organisation"):
        for item in sorted(plan.items.all(), key=lambda i: (i.rank is None, i.rank or 0, i.pk)):
            rows.append([names(plan.guide_id, plan.subprogramme), plan.round_name or "全年",
                         PlanState(plan.state).label, item.rank,
                         item.organisation_as_planned.name, item.application.project_name,
                         item.score, item.get_status_display(), Decimal(item.amount),
                         item.engine_amount, item.reason])
    return _workbook("拟资助方案", filters, [
        "子项目", "批次", "方案状态", "排名", "申报单位", "项目名称", "得分", "结果", "资助金额（元）",
        "规则金额（元）", "依据"], rows)


def payments_xlsx(filters: queries.Filters, batch=None) -> bytes:
    names = queries.SubprogrammeNames()
    rows = [[p.batch.title, names(p.item.plan.guide_id, p.item.plan.subprogramme), p.item.organisation_as_planned.name,
             p.item.application.project_name, p.amount, p.get_status_display(),
             p.account_name, p.bank_name, p.account_number, p.reference, p.failure_reason]
            for p in queries.payments(filters, batch)]
    return _workbook("资金拨付", filters, [
        "批次", "子项目", "申报单位", "项目名称", "金额（元）", "状态", "开户名", "开户银行",
        "银行账号", "支付凭证号", "失败原因"], rows)
