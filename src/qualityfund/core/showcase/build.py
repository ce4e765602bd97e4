"""Fill the demo guide with a year in progress, through the lifecycle's service functions only.

Every record is made the way the pages make it — register, draft, upload, submit, accept,
recheck, verify, draw a panel, score, finalise — so each application has its timeline and
audit trail, and each role finds work waiting.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from qualityfund.core.accounts.demo import DEMO_PASSWORD
from qualityfund.core.accounts.models import Organisation, Role, TrustLevel, User
from qualityfund.core.accounts.services import register_organisation
from qualityfund.core.applications import services as applications
from qualityfund.core.applications.models import Application
from qualityfund.core.applications.states import State
from qualityfund.core.funding import services as funding
from qualityfund.core.funding.models import ListImport, ListKind
from qualityfund.core.panels import services as panels
from qualityfund.core.panels.demo import create_demo_experts
from qualityfund.core.panels.models import DEFAULT_EXPERTISE, Expert, Panel
from qualityfund.core.review import services as review
from qualityfund.domain.credit_code import make_valid
from qualityfund.domain.scoring import total

from . import data, documents

CERTIFICATE_ISSUER = "中国质量协会"
# The ``expert`` account of seed_demo joins the pool so that logging in as it shows a panel.
DEMO_EXPERT = {"name": "陈专家", "title": "正高级工程师", "employer_name": "深圳市质量强市促进会",
               "employer_code": make_valid("51440300MJL00001X"),
               "expertise": ["品牌建设", "质量管理", "标准化"],
               "email": "expert@experts.example.cn", "phone": "13800000000"}


class ShowcaseError(Exception):
    """What is missing before the showcase can be built (seed_demo not run, …)."""


@dataclass(frozen=True)
class Staff:
    officer: User
    rechecker: User


def showcase_codes() -> list[str]:
    return [make_valid(org.code17) for org in data.ORGANISATIONS]


def already_built(guide) -> bool:
    """The marker: the showcase organisations already apply under ``guide``."""
    return Application.objects.filter(
        guide=guide, organisation__credit_code__in=showcase_codes()).exists()


def build(guide) -> bool:
    """Build the showcase in ``guide`` (the demo copy); False when it is already there."""
    if already_built(guide):
        return False
    staff = _staff()
    with transaction.atomic():
        users = _organisations()
        _pool()
        made = {p.ref: _draft(guide, p, users[p.org]) for p in data.PROJECTS}
        for project in data.PROJECTS:
            made[project.ref] = _advance(made[project.ref], project, users[project.org], staff)
        _brand_panel(guide, made, staff)
        _innovation_panel(guide, made, staff)
        _innovation_plan(guide, staff)
    return True


# --- people -----------------------------------------------------------------------------------


def _staff() -> Staff:
    needed = {"officer", "rechecker", data.DEMO_APPLICANT}
    found = {u.username: u for u in User.objects.filter(username__in=needed)}
    if missing := needed - set(found):
        raise ShowcaseError("缺少演示账号：" + "、".join(sorted(missing))
                            + "。请先运行 qualityfund seed_demo")
    return Staff(officer=found["officer"], rechecker=found["rechecker"])


def _organisations() -> dict[str, User]:
    """The showcase organisations, each registered with its applicant user (as on the
    register page); the demo ``applicant`` of seed_demo joins them."""
    users = {data.DEMO_APPLICANT: User.objects.select_related("organisation").get(
        username=data.DEMO_APPLICANT)}
    for org in data.ORGANISATIONS:
        user = User.objects.filter(username=org.username).select_related("organisation").first()
        if user is None:
            organisation = Organisation(
                credit_code=make_valid(org.code17), name=org.name, account_subject_name=org.name,
                bank_account_name=org.name, established_on=org.established_on,
                legal_representative=org.legal_representative, district=org.district,
                industry=org.industry, address=f"深圳市{org.street}",
                contact_name=org.contact_name, contact_phone=f"0755-2{org.code17[-4:]}888",
                contact_email=f"{org.username}@example.cn", bank_name="中国工商银行深圳分行",
                bank_account_number=f"4000 0{org.code17[-4:]} 0000 0001", trust_level=TrustLevel.L5)
            user = register_organisation(organisation, User(
                username=org.username, last_name=org.contact_name[0],
                first_name=org.contact_name[1:], email=f"{org.username}@example.cn"),
                DEMO_PASSWORD)
        users[org.username] = user
    return users


def _pool() -> None:
    """The demo pool (seed_experts) and the ``expert`` account in it."""
    if not Expert.objects.exists():
        create_demo_experts()
    user = User.objects.filter(username="expert", role=Role.EXPERT).first()
    if user is not None and not Expert.objects.filter(user=user).exists():
        Expert.objects.create(user=user, **DEMO_EXPERT)


# --- applications -----------------------------------------------------------------------------


def _today() -> str:
    return f"{timezone.localdate():%Y年%-m月%-d日}"


def _upload(application, key: str, title: str, content: bytes, by) -> None:
    applications.upload_material(application, key, SimpleUploadedFile(f"{title}.pdf", content),
                                 by=by)


def _material_pdf(application, project: data.Project, material, version: int = 1) -> bytes:
    org, day = application.organisation.name, _today()
    if material.key == "pledge":
        return documents.pledge(org, day)
    if material.key == "report":
        template = application.guide.spec.template(material.template)
        headings = [d.title for d in template.dimensions]
        # Each report in its own words: shared stock sentences would rightly be flagged as
        # content copied between organisations by the duplicate check.
        texts = [f"{org}“{project.name}”的{heading}情况：{project.summary}"
                 for heading in headings]
        return documents.report(template.title, project.name, org, headings, texts, day)
    if material.key == "certificate":
        return documents.sealed_page("荣誉证书", [
            f"{org}：", f"你单位“{project.name}”荣获{project.figures['award_name']}。",
            "特发此证，以资鼓励。"], CERTIFICATE_ISSUER, day)
    if material.key == "input-output":
        return documents.sealed_page("项目投入产出测算报告", [
            f"项目名称：{project.name}", f"测算结论：{project.figures['cost_benefit_summary']}。",
            ("测算口径：投入含设备、软件、人员及外部服务费用；产出按质量损失减少、返工减少及"
            "效率提升折算，数据来自财务台账和质量统计报表。")], org, day)
    lines = ["1. 项目实施方案及立项文件", "2. 项目实施过程记录（会议纪要、培训签到表、现场照片）",
             "3. 项目成果及数据统计表", "4. 服务对象或用户反馈、满意度调查结果",
             "5. 媒体宣传报道截图"]
    if version > 1:
        lines.append("6. 补正补充：港澳参会单位签到表及上线前后业务统计数据对比")
    return documents.sealed_page("佐证材料目录", [f"项目名称：{project.name}", *lines], org, day)


def _draft(guide, project: data.Project, user: User) -> Application:
    application = applications.create_application(guide=guide,
                                                  subprogramme=project.subprogramme, by=user)
    fields = {"project_name": project.name, "summary": project.summary,
              "implementation_district": user.organisation.district,
              "started_on": project.started_on}
    if project.requested is not None:
        fields["requested_amount"] = project.requested
    application = applications.save_draft(application, by=user, fields=fields,
                                          figures=project.figures)
    for material in application.spec.materials:
        if material.generated or (material.alternative_group and material.template is None):
            continue  # the 申请表 is generated; one material of an alternative group suffices
        _upload(application, material.key, material.title[:30],
                _material_pdf(application, project, material), user)
    return application


def _advance(application, project: data.Project, user: User, staff: Staff) -> Application:
    """Take ``application`` as far as its stage, one service call per step."""
    stage = project.stage
    application = applications.submit(application, by=user)
    if stage == data.SUBMITTED:
        return application
    if stage in (data.SUPPLEMENTING, data.SUPPLEMENTED_ACCEPTED):
        asked = data.SUPPLEMENT_REQUESTS[project.ref]
        review.request_supplementation(application, by=staff.officer, items=[
            review.ItemRequest(key, reason) for key, reason in asked])
        if stage == data.SUPPLEMENTING:
            return application
        evidence = next(m for m in application.spec.materials if m.key == "evidence")
        _upload(application, "evidence", "佐证材料（补正）",
                _material_pdf(application, project, evidence, version=2), user)
        application = applications.resubmit(application, by=user)
    if stage == data.REFUSED:
        reason, note = data.REFUSALS[project.ref]
        return review.refuse(application, by=staff.officer, reason=reason, note=note)
    application = review.accept(application, by=staff.officer,
                                note="申报材料齐全，符合申报条件，予以受理")
    if stage in (data.ACCEPTED, data.SUPPLEMENTED_ACCEPTED):
        return application
    application = review.recheck(application, by=staff.rechecker,
                                 note="经复核，初审意见适当，同意受理")
    if stage == data.VERIFIED:
        return review.verify(application, by=staff.officer, recommended=True,
                             note="获奖证书与中国质量协会公布名单一致，获奖年度为2024年")
    return application


# --- panels -----------------------------------------------------------------------------------


def _open_panel(guide, subprogramme: str, refs: list[str], made, staff: Staff,
                chair_user: str | None) -> tuple[Panel, list]:
    """A panel drawn as the officer draws one — nobody picks its seed, so who sits on it is
    the draw's; ``chair_user`` takes the chair when the draw seats them, else seat 1 does."""
    panel = panels.create_panel(
        guide=guide, subprogramme=subprogramme, size=5, by=staff.officer,
        expertise=DEFAULT_EXPERTISE[subprogramme], applications=[made[r] for r in refs])
    panel = panels.draw(panel, by=staff.officer)
    members = list(panel.members.select_related("expert__user").order_by("seat"))
    chair = next((m for m in members if m.expert.user.username == chair_user), members[0])
    panels.appoint_chair(panel, chair.expert, by=staff.officer)
    members.remove(chair)
    return panel, [chair, *members]


def _score(value: float) -> Decimal:
    clamped = min(Decimal(100), max(Decimal(0), Decimal(str(value))))
    return (clamped * 2).quantize(Decimal(1), rounding=ROUND_HALF_UP) / 2


def _sheet_values(spec, project: data.Project, reader: data.Reader, *, complete: bool) -> dict:
    keys = spec.score_keys if complete else spec.score_keys[:2]
    scores = {k: str(_score(project.quality + reader.offset + reader.spread * ((i % 3) - 1)))
              for i, k in enumerate(keys)}
    comments = {}
    for criterion in spec.criteria:
        if criterion.key in scores:
            level = 0 if Decimal(scores[criterion.key]) >= 85 else (
                1 if Decimal(scores[criterion.key]) >= 75 else 2)
            comments[criterion.key] = data.COMMENTS[level].format(criterion=criterion.title)
    values = {"scores": scores, "comments": comments}
    if complete:
        recommended = total(spec, scores) >= 75
        values["recommendation"] = recommended
        if recommended and spec.amount_cap is not None:
            share = Decimal(1) if total(spec, scores) >= 85 else Decimal("0.8")
            amount = int(min(project.requested, spec.amount_cap) * share) // 10_000 * 10_000
            values["amount"] = amount
        if project.site_visit and spec.site_visit != "none":
            values["site_visit"] = project.site_visit
    return values


def _fill_sheets(panel: Panel, members, readers, made) -> None:
    spec = panel.sheet_spec
    projects = {p.ref: p for p in data.PROJECTS}
    for member, reader in zip(members, readers, strict=True):
        user = member.expert.user
        panels.clear_conflicts(panel, by=user)
        for ref in reader.done + reader.draft:
            application = made[ref]
            complete = ref in reader.done
            panels.save_sheet(application, by=user, values=_sheet_values(
                spec, projects[ref], reader, complete=complete))
            if complete:
                panels.confirm_sheet(application, by=user)


def _refs(stage: str, subprogramme: str) -> list[str]:
    return [p.ref for p in data.PROJECTS if p.stage == stage and p.subprogramme == subprogramme]


def _brand_panel(guide, made, staff: Staff) -> None:
    """特色品牌培育: drawn, the ``expert`` account in the chair, sheets partly confirmed."""
    panel, members = _open_panel(guide, "brand", _refs(data.PANEL_OPEN, "brand"), made, staff,
                                 chair_user="expert")
    _fill_sheets(panel, members, data.BRAND_READERS, made)


def _innovation_panel(guide, made, staff: Staff) -> None:
    """质量攻关及创新: every sheet confirmed and the chair finalised — funding's turn."""
    panel, members = _open_panel(guide, "innovation", _refs(data.PANEL_DONE, "innovation"),
                                 made, staff, chair_user=None)
    _fill_sheets(panel, members, data.INNOVATION_READERS, made)
    panels.finalise(panel, by=members[0].expert.user)


CONSULTED = ("市财政局", "局规划财务处")
FIRST_ROUND = "第一批"
ROUND_REASON = ("“5G射频模组焊点可靠性质量攻关”复审完成较晚，尚待第二批专家组评审；"
                "第一批先行拟定已完成评审的4个项目，名额和预算余量留待第二批")
# Demonstration lists: one fictitious record each, so that every check has a list in force.
DEMO_LISTED = (make_valid("91440300MA5HCX999"), "深圳市演示名单样本有限公司")


def _lists(staff: Staff) -> None:
    """Every list the checks read, imported by the officer and approved by the rechecker."""
    header = "统一社会信用代码,名称,日期,来源\n"
    for kind in ListKind.values:
        if ListImport.objects.filter(kind=kind, status=ListImport.Status.ACTIVE).exists():
            continue
        row = f"{DEMO_LISTED[0]},{DEMO_LISTED[1]},{timezone.localdate():%Y-%m-%d},演示数据\n"
        batch = funding.import_list(
            kind, SimpleUploadedFile(f"{kind}.csv", (header + row).encode("utf-8")),
            source="演示数据：虚构名单，非真实名单", by=staff.officer)
        funding.review_list(batch, approve=True, by=staff.rechecker)


def _clear(application, staff: Staff) -> None:
    funding.run_checks(application, by=staff.officer)
    for check in application.disqualifier_checks.filter(outcome="judgement", decision="pending",
                                                        superseded=False):
        funding.decide_check(check, confirm=False, by=staff.officer, reason=(
            "经审核申报材料和评审意见，符合办法、规程和指南要求，未发现法律法规规定的其他"
            "不予资助情形"))
    funding.clear_application(application, by=staff.officer)


def _innovation_plan(guide, staff: Staff) -> None:
    """The finished panel's applications checked and cleared, drafted into the first round's
    plan (the fifth application waits for a second panel) that went out for consultation
    and came back — the director's collective decision is next."""
    _lists(staff)
    for application in Application.objects.filter(guide=guide, subprogramme="innovation",
                                                  state=State.REVIEWED):
        _clear(application, staff)
    plan = funding.draft_plan(guide, "innovation", by=staff.officer, round_name=FIRST_ROUND,
                              reason=ROUND_REASON)
    plan = funding.send_for_consultation(plan, list(CONSULTED), by=staff.officer)
    for consultation in plan.consultations.all():
        funding.record_opinion(consultation, "无意见，同意拟资助方案。", by=staff.officer)
