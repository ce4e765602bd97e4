"""Applications brought to ``reviewed`` as the panel leaves them, and other funding fixtures.

The panel pages belong to another part of the system; these go through the lifecycle's own
``transition`` (submitted → accepted → rechecked → reviewed) with the review fields set.
"""

import io
from datetime import date, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook

from qualityfund.core.accounts.identity import Snapshot
from qualityfund.core.accounts.models import Role, User
from qualityfund.core.applications.models import Application, MaterialFile
from qualityfund.core.applications.services import transition
from qualityfund.core.applications.states import State
from qualityfund.core.funding import services
from qualityfund.domain.credit_code import make_valid
from tests import factories
from tests.factories import make_organisation

_numbers = iter(range(1, 1_000_000))


def fast_user(role: str, organisation=None) -> User:
    """A user with no password (tests log in with force_login): hashing costs 0.1 s each."""
    n = next(_numbers)
    return User.objects.create(username=f"{role}-fast-{n}", role=role,
                               organisation=organisation, last_name="测", first_name=f"{n}",
                               password="!")


def reviewed(guide, organisation, subprogramme: str, *, score=None, tier=None,
             recommended=True, amount=None, requested=None, name=None, summary="",
             report_pdf: bytes | None = None, officer=None) -> Application:
    """An application of ``organisation`` in ``reviewed``, with the panel's results."""
    user = organisation.users.first() or fast_user(Role.APPLICANT, organisation)
    officer = officer or fast_user(Role.OFFICER)
    n = next(_numbers)
    application = Application.objects.create(
        guide=guide, subprogramme=subprogramme, organisation=organisation, created_by=user,
        number=f"ZLPP-{guide.year}-{subprogramme.upper()}-{n:06d}-{guide.pk}",
        project_name=name or f"{organisation.name[:8]}{subprogramme}项目{n}",
        summary=summary, implementation_district="南山区", started_on=date(2024, 2, 1),
        requested_amount=requested, state=State.SUBMITTED, submitted_at=timezone.now(),
        organisation_snapshot=Snapshot.of(organisation).as_data(),
    )
    if report_pdf is not None:
        key = next(m.key for m in application.spec.materials
                   if m.template and m.template == application.spec.report_template)
        record = MaterialFile(application=application, material_key=key,
                              original_name="成果报告.pdf", file_type="pdf",
                              size=len(report_pdf), sha256="0" * 64, uploaded_by=user)
        record.file.save("report.pdf", ContentFile(report_pdf), save=False)
        record.save()
    for target in (State.ACCEPTED, State.RECHECKED):
        transition(application, target, by=officer)
    application.review_score = None if score is None else Decimal(str(score))
    application.review_tier = tier
    application.review_recommended = recommended
    application.review_amount = amount
    application.save()
    transition(application, State.REVIEWED, by=officer, note="专家组评审完成")
    return application


def consulted_plan(guide, officer, subprogramme: str = "gba"):
    """The plan of one cleared, reviewed application, consulted and awaiting the decision."""
    application = reviewed(guide, make_organisation(f"深圳市{subprogramme}方案有限公司"),
                           subprogramme, score=80, tier=1, officer=officer)
    clear(application, officer)
    plan = services.draft_plan(guide, subprogramme, by=officer)
    services.send_for_consultation(plan, ["市财政局"], by=officer)
    services.record_opinion(plan.consultations.get(), "同意", by=officer)
    return plan


def report_pdf(text: str) -> bytes:
    """A report PDF with a real text layer (what an applicant's Word export looks like)."""
    from weasyprint import HTML

    from qualityfund.core.documents import fonts

    paragraphs = "".join(f"<p>{line}</p>" for line in text.split("\n") if line)
    html = (f'<html><body style="font-family: \'{fonts.SANS}\'; font-size: 11pt">'
            f"{paragraphs}</body></html>")
    return HTML(string=html).write_pdf(font_config=fonts.font_config())


def xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_upload(name: str, rows: list[list]) -> SimpleUploadedFile:
    text = "\n".join(",".join(str(c) for c in row) for row in rows)
    return SimpleUploadedFile(name, text.encode("utf-8"))


def xlsx_upload(name: str, rows: list[list]) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, xlsx(rows))


LIST_HEADER = ["统一社会信用代码", "名称", "日期", "来源"]


def import_approved(kind: str, rows: list[list], *, by=None, approver=None):
    """A list imported by one officer and approved by a second (four eyes)."""
    batch = services.import_list(kind, csv_upload(f"{kind}.csv", [LIST_HEADER, *rows]),
                                 source="信用中国（广东深圳）导出", by=by or fast_user(Role.OFFICER))
    return services.review_list(batch, approve=True, by=approver or fast_user(Role.RECHECKER))


# A listed organisation that applies for nothing, for lists that must hold one row.
BYSTANDER = [make_valid("91440300MA5YYY999"), "深圳市名单样本有限公司", "2025-01-02", "名单样本"]


def lists_in_force() -> None:
    """Every list the checks read imported and approved today (with a bystander where none
    is)."""
    from qualityfund.core.funding.models import ListImport, ListKind

    active = set(ListImport.objects.filter(status=ListImport.Status.ACTIVE)
                 .values_list("kind", flat=True))
    for kind in ListKind.values:
        if kind not in active:
            import_approved(kind, [BYSTANDER])


def judge(application, officer) -> None:
    """七（七）1 and 8: the officer's judgement that neither situation exists."""
    for check in application.disqualifier_checks.filter(outcome="judgement", decision="pending",
                                                        superseded=False):
        services.decide_check(check, confirm=False, reason="经审核，符合办法、规程和指南，"
                              "未发现法律法规规定的其他不予资助情形", by=officer)


def clear(application, officer) -> Application:
    """不予资助情形查询 run and passed, as the officer does it on the checks page: the lists
    in force, the checks run, the two judgements given."""
    lists_in_force()
    services.run_checks(application, by=officer)
    judge(application, officer)
    return services.clear_application(application, by=officer)


def cleared(guide, organisation, subprogramme: str, *, officer, **review) -> Application:
    """An application of ``organisation`` past its checks, ready for a plan."""
    return clear(reviewed(guide, organisation, subprogramme, officer=officer, **review), officer)


def planned(guide, organisation, *, officer, director, until: str = "decided",
            subprogramme: str = "honors"):
    """A reviewed application of ``organisation`` cleared and in a plan taken to ``until``
    (``draft``, ``decided``, ``noticed`` or ``final``); returns the plan's item."""
    application = reviewed(guide, organisation, subprogramme, score=90, officer=officer)
    clear(application, officer)
    plan = services.draft_plan(guide, subprogramme, by=officer)
    steps = ["draft", "decided", "noticed", "final"]
    if steps.index(until) >= 1:
        services.send_for_consultation(plan, ["市财政局"], by=officer)
        for consultation in plan.consultations.all():
            services.record_opinion(consultation, "同意", by=officer)
        services.record_decision(plan, meeting_date=timezone.localdate(), decision="同意",
                                 minutes=SimpleUploadedFile("纪要.pdf", factories.pdf_bytes()),
                                 by=director)
    if steps.index(until) >= 2:
        services.publish_notice(plan, by=officer)
    if until == "final":
        plan.refresh_from_db()
        services.finalise_plan(plan, by=officer, at=plan.notice_ends_at + timedelta(seconds=1))
    return plan.items.select_related("plan", "application__organisation").get(
        application=application)
