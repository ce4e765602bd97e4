"""The panel report (专家组评审结果报告) as PDF (WeasyPrint, Noto CJK) and Excel (openpyxl).

The rubric the panel scored on (criteria, weights, evidence, bands), members, every expert's
score, the aggregation, the ranking with ties and each application's panel score on every
criterion, the recommendations, each expert's confirmation time, and the draw record (the
seed's hash recorded before the draw and the seed, set-aside experts, replacements, empty
seats filled or closed). The PDF reuses the documents package's fonts and base layout.
"""

from datetime import datetime
from functools import cache
from pathlib import Path

from django.template import Context, Engine
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from weasyprint import HTML

from qualityfund.core.common.exports import xlsx_bytes
from qualityfund.core.documents import fonts
from qualityfund.core.documents.pdf import FONTS, local_time
from qualityfund.domain.money import to_wan
from qualityfund.domain.scoring import TIER_NAMES, criterion_scores

from .models import Conflict, Panel, PanelMember
from .results import Results, compute, display_score

DOCUMENTS_TEMPLATES = Path(fonts.__file__).parent / "templates"


@cache
def engine() -> Engine:
    return Engine(dirs=[Path(__file__).parent / "report_templates", DOCUMENTS_TEMPLATES],
                  autoescape=True)


def recommendation_text(decision) -> str:
    if decision is None:
        return "—"
    if not decision.recommended:
        return "不推荐"
    parts = ["推荐"]
    if decision.tier:
        parts.append(TIER_NAMES[decision.tier])
    if decision.amount:
        parts.append(f"{to_wan(decision.amount)}万元")
    return " · ".join(parts)


def report_context(panel: Panel, outcome: Results | None = None) -> dict:
    outcome = outcome or compute(panel)
    labels = {m.pk: f"专家{m.seat}" for m in outcome.members}
    replaced = list(panel.members.filter(status=PanelMember.Status.REPLACED)
                    .select_related("expert"))
    reasons = {c.expert_id: c.reason for c in Conflict.objects.filter(
        expert__in=[m.expert for m in replaced], application__panel_entry__panel=panel)}
    names = {c["id"]: c for c in panel.pool_snapshot}
    ranks = [row.rank for row in outcome.rows if row.rank]
    rows = []
    for row in outcome.rows:
        cells = []
        for member in outcome.members:
            sheet = row.sheets.get(member.pk)
            cells.append({"score": display_score(sheet.total if sheet else None),
                          "outlier": member.pk in row.outliers})
        agg = row.aggregate
        by_criterion = [display_score(row.criteria.get(c.key)) for c in outcome.spec.criteria]
        rows.append({
            "rank": row.rank or "—", "tied": ranks.count(row.rank) > 1 if row.rank else False, "number": row.application.number or row.application.pk,
            "organisation": row.application.organisation_as_submitted.name,
            "project": row.application.project_name, "cells": cells,
            "mean": display_score(agg.mean if agg else None),
            "median": display_score(agg.median if agg else None),
            "spread": display_score(agg.spread if agg else None),
            "result": display_score(agg.result if agg else None),
            "recommendation": recommendation_text(row.decision),
            "reasons": "；".join(row.decision.reasons) if row.decision else "",
            "complete": row.complete, "criteria": by_criterion,
        })
    members = []
    for member in outcome.members:
        times = [s.confirmed_at for r in outcome.rows for m, s in r.sheets.items()
                 if m == member.pk]
        members.append({
            "label": labels[member.pk], "expert": member.expert,
            "chair": panel.chair_id == member.expert_id,
            "leniency": f"{outcome.leniency.get(member.pk, 0.0):+.2f}",
            "confirmed": len(times), "of": len(outcome.rows),
            "last_confirmed": local_time(max(times)) if times else "—",
            "cleared_at": local_time(member.cleared_at) if member.cleared_at else "—",
        })
    excluded = [{"name": names.get(k, {}).get("name", k),
                 "employer": names.get(k, {}).get("employer_name", ""), "reason": v}
                for k, v in sorted(panel.excluded.items(), key=lambda kv: int(kv[0]))]
    spec = outcome.spec
    criteria = [{"label": spec.label(c.key), "weight": c.weight,
                 "share": f"{spec.share(c):.2f}",
                 "evidence": "；".join(e.label for e in c.evidence if e.label),
                 "descriptors": c.descriptors} for c in spec.criteria]
    return {
        "panel": panel, "guide_title": str(panel.guide), "sub": panel.spec,
        "criteria": criteria, "basis": panel.get_scoring_basis_display(),
        "outcome": outcome, "labels": [labels[m.pk] for m in outcome.members],
        "rows": rows, "members": members, "excluded": excluded,
        "replaced": [{"expert": m.expert, "reason": reasons.get(m.expert_id, ""),
                      "at": local_time(m.replaced_at)} for m in replaced],
        "drawn_at": local_time(panel.drawn_at) if panel.drawn_at else "—",
        "deadline": local_time(panel.scoring_deadline) if panel.scoring_deadline else "—",
        "seat_steps": _seat_steps(panel),
        "finalised_at": local_time(panel.finalised_at) if panel.finalised_at else "未定稿",
        "printed_at": local_time(timezone.now()),
        "chair": panel.chair, "expertise": "、".join(panel.expertise),
    }


def _seat_steps(panel: Panel) -> list[dict]:
    """Empty seats, their filling from a wider field, and decisions to finalise with fewer."""
    names = {c["id"]: c["name"] for step in panel.replacements if step.get("kind") == "fill"
             for c in step["pool"]}
    found = []
    for step in panel.replacements:
        kind, at = step.get("kind", "replace"), local_time(datetime.fromisoformat(step["at"]))
        if kind == "replace" and step["chosen"] is None:
            found.append({"title": f"第{step['seat']}席空缺",
                          "text": f"{at} 申报回避后无符合条件的专家可替换"})
        elif kind == "fill":
            found.append({"title": f"第{step['seat']}席补缺抽取",
                          "text": f"{at} 专业领域："
                                  f"{'、'.join(step['expertise'])}；入选：{names[step['chosen']]}；"
                                  f"种子摘要 {step['seed_algorithm'].upper()}：{step['seed_hash']}；"
                                  f"种子 {step['seed']}"})
        elif kind == "close":
            found.append({"title": "决定以现有人数定稿",
                          "text": f"{at} {step['size_before']} 人 → "
                                  f"{step['size_after']} 人；理由：{step['reason']}"})
    return found


def render_pdf(panel: Panel, outcome: Results | None = None) -> bytes:
    fonts.require_cjk_fonts()
    context = {**report_context(panel, outcome), "fonts": FONTS}
    html = engine().get_template("panels/report.html").render(Context(context))
    return HTML(string=html).write_pdf(font_config=fonts.font_config())


HEADER_FILL = PatternFill("solid", fgColor="8B1A1A")
OUTLIER_FILL = PatternFill("solid", fgColor="FFE08A")


def _sheet(workbook, title, header, widths):
    sheet = workbook.create_sheet(title)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = width
    sheet.freeze_panes = "A2"
    return sheet


def render_xlsx(panel: Panel, outcome: Results | None = None) -> bytes:
    outcome = outcome or compute(panel)
    context = report_context(panel, outcome)
    workbook = Workbook()
    workbook.remove(workbook.active)
    criteria = context["criteria"]
    ranking = _sheet(workbook, "排名", ["排名", "申报编号", "申报单位", "项目名称",
                                       *context["labels"], "平均分", "中位数", "极差",
                                       "评审得分", *[c["label"] for c in criteria],
                                       "专家组推荐意见", "说明"],
                     [6, 26, 30, 30, *[9] * len(context["labels"]), 9, 9, 9, 10,
                      *[11] * len(criteria), 22, 30])
    for row in context["rows"]:
        ranking.append([row["rank"], str(row["number"]), row["organisation"], row["project"],
                        *[c["score"] for c in row["cells"]], row["mean"], row["median"],
                        row["spread"], row["result"], *row["criteria"], row["recommendation"],
                        row["reasons"]])
        for offset, cell in enumerate(row["cells"]):
            if cell["outlier"]:
                ranking.cell(ranking.max_row, 5 + offset).fill = OUTLIER_FILL
    ranking.append([])
    ranking.append([(f"汇总方法：{outcome.method_text}；各评审标准的专家组得分按同一方法汇总；"
                     "黄色底色为偏离专家组的异常评分")])
    rubric = _sheet(workbook, "评审标准", ["评审标准", "权重", "占总分（%）", "报告中的依据",
                                          "评分档与说明"], [18, 6, 10, 40, 90])
    for c in criteria:
        rubric.append([c["label"], c["weight"], c["share"], c["evidence"], "\n".join(
            f"{d.label} {d.span}：{d.text}" for d in c["descriptors"])])
    rubric.append([])
    rubric.append([f"评分依据：{context['basis']}"])
    members = _sheet(workbook, "专家组成员", ["编号", "姓名", "职称", "工作单位", "专业领域",
                                              "组长", "回避承诺时间", "已确认评分表",
                                              "最后确认时间", "宽严度（标准化）"],
                     [8, 10, 14, 30, 30, 6, 20, 12, 20, 14])
    for m in context["members"]:
        members.append([m["label"], m["expert"].name, m["expert"].title,
                        m["expert"].employer_name, "、".join(m["expert"].expertise),
                        "是" if m["chair"] else "", m["cleared_at"],
                        f"{m['confirmed']}/{m['of']}", m["last_confirmed"], m["leniency"]])
    sheets = _sheet(workbook, "评分明细", ["申报编号", "专家", "总分",
                                           *[c["label"] for c in criteria], "推荐意见",
                                           "推荐等次", "建议资助金额（元）", "确认时间", "退回次数"],
                    [26, 10, 9, *[11] * len(criteria), 10, 10, 16, 20, 8])
    labels = {m.pk: f"专家{m.seat}" for m in outcome.members}
    for row in outcome.rows:
        for member_id, sheet in sorted(row.sheets.items(), key=lambda kv: labels[kv[0]]):
            scores = criterion_scores(outcome.spec, sheet.scores)
            sheets.append([str(row.application.number or row.application.pk), labels[member_id],
                           float(sheet.total),
                           *[display_score(scores[c.key]) for c in outcome.spec.criteria],
                           "推荐" if sheet.recommendation else "不推荐",
                           TIER_NAMES.get(sheet.tier, ""), sheet.amount or "",
                           local_time(sheet.confirmed_at), sheet.reopened])
    record = _sheet(workbook, "抽取记录", ["项目", "内容"], [22, 90])
    record.append(["抽取种子", panel.seed])
    record.append(["抽取前记录的种子摘要", f"{panel.seed_algorithm.upper()}：{panel.seed_hash}"
                   if panel.seed_hash else "未记录（本功能启用前的抽取）"])
    record.append(["评分截止时间", context["deadline"]])
    record.append(["抽取时间", context["drawn_at"]])
    record.append(["所需专业领域", context["expertise"]])
    record.append(["专家库人数", len(panel.pool_snapshot)])
    for item in context["excluded"]:
        record.append([f"未入选：{item['name']}", f"{item['employer']}：{item['reason']}"])
    for item in context["replaced"]:
        record.append([f"回避替换：{item['expert'].name}", f"{item['at']} {item['reason']}"])
    for step in context["seat_steps"]:
        record.append([step["title"], step["text"]])
    return xlsx_bytes(workbook)
