"""The 资助项目申请表: the PDF the system generates from the online form at submission.

指南 三（一）3（1）①: "申请表由申请人在系统内完成在线填报并提交后自动生成，无需另行上传。"
It records what was submitted — the organisation, the project, the declared figures, the
self-check, and every current material file with its SHA-256 — so that the bureau can later
prove which files the applicant submitted.
"""

from collections import defaultdict
from datetime import date

from django.utils import timezone

from qualityfund.domain.guide.schema import NUMERIC_FIGURE_TYPES
from qualityfund.domain.money import format_yuan, to_wan, upper_case
from qualityfund.domain.selfcheck import coerce_figure

from .pdf import local_time, render_pdf

STATUS_LABELS = {
    "met": "符合",
    "not_met": "不符合",
    "officer": "待审核人员判断",
    "missing": "缺项",
}


def render_application_form(application) -> bytes:
    """The 申请表 of ``application`` as PDF bytes (A4)."""
    return render_pdf("documents/application_form.html", form_context(application))


def form_context(application) -> dict:
    guide = application.guide
    spec = application.spec
    submitted_at = application.submitted_at
    return {
        "guide_title": str(guide),  # a demo copy says so
        "guide_year": guide.year,
        "subprogramme_name": spec.name,
        "subprogramme_clause": spec.clause,
        "number": application.number or "（未编号）",
        "submitted_at": local_time(submitted_at) if submitted_at else "",
        "generated_at": local_time(timezone.now()),
        "org": _organisation(application),
        "project": _project(application),
        "figures": [
            {"label": f.label, "value": figure_value(f, application.figures.get(f.key))}
            for f in spec.figures
        ],
        "self_check": [
            {**row, "status_label": STATUS_LABELS.get(row.get("status"), row.get("status", ""))}
            for row in application.self_check
        ],
        "materials": _materials(application, spec),
    }


def _organisation(application) -> dict:
    """The identity as submitted (申报时快照), so that a form produced again at 补正 names the
    organisation as the first one did; the contact details as they are now."""
    org, identity = application.organisation, application.organisation_as_submitted
    return {
        "name": identity.name,
        "credit_code": identity.credit_code,
        "established_on": _date(org.established_on),
        "legal_representative": org.legal_representative,
        "district": org.district,
        "industry": org.industry,
        "address": org.address,
        "contact_name": org.contact_name,
        "contact_phone": org.contact_phone,
        "contact_email": org.contact_email,
        "bank_account_name": identity.bank_account_name,
        "bank_name": identity.bank_name,
        "bank_account_number": identity.bank_account_number,
    }


def _project(application) -> dict:
    amount = application.requested_amount
    return {
        "name": application.project_name,
        "district": application.implementation_district,
        "started_on": _date(application.started_on) if application.started_on else "",
        # DESIGN.md: money on formal documents in 万元 with two decimals and in 大写 as well.
        "amount": None if amount is None else {
            "yuan": format_yuan(amount),
            "wan": to_wan(amount),
            "upper": upper_case(amount),
        },
        "contact_name": application.contact_name,
        "contact_phone": application.contact_phone,
        "summary": application.summary,
    }


def figure_value(figure, raw) -> str:
    """A declared figure as the form prints it: 是/否, 2024年12月31日, 12.5%, 35家.

    Values are read the way the self-check reads them; text that does not parse is printed
    as declared, so the form never hides what was submitted.
    """
    text = "" if raw is None else str(raw).strip()
    if not text:
        return "未填报"
    try:
        value = coerce_figure(figure, text)
    except ValueError:
        return text
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, date):
        return _date(value)
    if figure.type in NUMERIC_FIGURE_TYPES:
        unit = "%" if figure.type == "percent" else figure.unit or ""
        return f"{text.removesuffix('%').strip()}{unit}"
    return text


def _materials(application, spec) -> list[dict]:
    files = defaultdict(list)
    for file in application.material_files.current().order_by("uploaded_at", "id"):
        files[file.material_key].append({
            "name": file.original_name,
            "type": file.file_type.upper(),
            "size": file_size(file.size),
            "sha256": file.sha256,
            "uploaded": local_time(file.uploaded_at).split(" "),  # date, time
        })
    return [
        {
            "number": material.number,
            "title": material.title,
            "required": material.required,
            "generated": material.generated,
            "files": files.get(material.key, []),
        }
        for material in spec.materials
    ]


def file_size(size: int) -> str:
    """Bytes in binary units with one decimal, whole bytes below 1 KB."""
    if size < 1024:
        return f"{size} B"
    units = ("KB", "MB", "GB")
    scaled, unit = size / 1024, 0
    while scaled >= 1024 and unit < len(units) - 1:
        scaled, unit = scaled / 1024, unit + 1
    return f"{scaled:.1f} {units[unit]}"


def _date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
