"""The self-check of an application: the guide's conditions plus form and material completeness.

The same function backs the live panel while the applicant fills the form, the API, and the
server-side re-run at submission; a blocking result that is not met refuses submission.
"""

from dataclasses import dataclass

from qualityfund.domain.guide.schema import Figure
from qualityfund.domain.selfcheck import CheckResult, OrgFacts, coerce_figure, self_check

from .models import Application


@dataclass(frozen=True)
class Checklist:
    results: list[CheckResult]

    @property
    def blocking(self) -> list[CheckResult]:
        return [r for r in self.results if r.blocking and r.status in {"not_met", "missing"}]

    @property
    def passes(self) -> bool:
        return not self.blocking

    def counts(self) -> dict[str, int]:
        counts = {"met": 0, "not_met": 0, "missing": 0, "officer": 0}
        for r in self.results:
            counts[r.status] += 1
        return counts


def org_facts(organisation) -> OrgFacts:
    return OrgFacts(
        name=organisation.name,
        credit_code=organisation.credit_code,
        established_on=organisation.established_on,
        district=organisation.district,
        bank_account_name=organisation.bank_account_name,
        account_subject_name=organisation.account_subject_name,
        trust_level=organisation.trust_level,
    )


def typed_figures(application: Application) -> tuple[dict[str, object], dict[str, str]]:
    """The declared figures as typed values, and a message per figure that does not parse."""
    values, errors = {}, {}
    for figure in application.spec.figures:
        raw = str(application.figures.get(figure.key, "") or "").strip()
        if not raw:
            values[figure.key] = None
            continue
        try:
            values[figure.key] = coerce_figure(figure, raw)
        except ValueError as exc:
            values[figure.key] = None
            errors[figure.key] = str(exc)
    return values, errors


def _result(cid, clause, text, ok, reason, blocking=True) -> CheckResult:
    return CheckResult(condition_id=cid, clause=clause, text=text,
                       status="met" if ok else "missing", blocking=blocking,
                       reason="" if ok else reason)


def _form_results(application: Application) -> list[CheckResult]:
    sub = application.spec
    results = [
        _result("form:project_name", "", "项目名称", bool(application.project_name.strip()),
                "请填写项目名称"),
        _result("form:summary", "", "项目简介", bool(application.summary.strip()),
                "请填写项目简介"),
        _result("form:implementation_district", "二（三）",
                "资助项目实施地为深圳市行政区域（含深汕特别合作区）",
                bool(application.implementation_district), "请选择项目实施地（深圳市行政区域）"),
    ]
    cap = sub.funding.cap
    if cap:
        amount = application.requested_amount
        results.append(_result(
            "form:requested_amount", sub.clause, sub.funding_text,
            amount is not None and 0 < amount <= cap,
            f"请填写申请资助金额（元），不超过指南规定的最高{cap // 10000}万元",
        ))
    return results


def _figure_format_results(errors: dict[str, str], figures: list[Figure]) -> list[CheckResult]:
    labels = {f.key: f.label for f in figures}
    return [
        CheckResult(condition_id=f"figure:{key}", clause="", text=labels[key],
                    status="not_met", blocking=True, reason=message)
        for key, message in errors.items()
    ]


def _material_results(application: Application, files) -> list[CheckResult]:
    sub = application.spec
    present = {f.material_key for f in files}
    groups: dict[str, list] = {}
    results = []
    for material in sub.materials:
        if material.generated:
            continue
        if material.alternative_group:
            groups.setdefault(material.alternative_group, []).append(material)
            continue
        results.append(_result(
            f"material:{material.key}", sub.clause, f"{material.number}{material.title}",
            material.key in present or not material.required,
            f"未上传“{material.title}”", blocking=material.required,
        ))
    for group, members in groups.items():
        titles = "或".join(f"“{m.title}”" for m in members)
        results.append(_result(
            f"material-group:{group}", sub.clause, "、".join(
                f"{m.number}{m.title}" for m in members),
            any(m.key in present for m in members), f"请上传{titles}之一",
        ))
    return results


def run_checks(application: Application, files=None) -> Checklist:
    """Every check for ``application``; ``files`` are its current material files if known."""
    if files is None:
        files = list(application.material_files.current().only("material_key"))
    values, errors = typed_figures(application)
    guide_results = self_check(application.guide.spec, application.subprogramme,
                               org_facts(application.organisation), values)
    return Checklist(
        _form_results(application)
        + _figure_format_results(errors, application.spec.figures)
        + guide_results
        + _material_results(application, files)
    )
