"""The boundaries between bureau roles: every route, asked by every role with every unsafe
method, changes something only for the roles that ``POLICY`` names.

``test_isolation`` walks the routes as anonymous and as another organisation; this walk is
about staff (DESIGN.md "Who uses it"). One scene holds realistic objects in every state, built
through the service functions: applications submitted, accepted and rechecked; a drawn panel
with a chair, members and score sheets (and one still to draw); funding plans in draft,
consultation, decided, noticed (with an objection) and final; a disbursement batch with a
pending payment. Each route's path parameters name the object that the action expects, and
its data is what the allowed role would post (``payload``), so that a refusal proves the
permission check and not a wrong state or a missing field; ``test_allowed_roles_succeed``
is that positive control.

A refused request must answer 401/403/404/405, or a redirect that wrote nothing; every write
to the database during a refused request is reported as a permission hole.
"""

import json
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from qualityfund.core.accounts.identity import IDENTITY_FIELDS
from qualityfund.core.accounts.identity_changes import (
    decide_identity_change,
    submit_identity_change,
)
from qualityfund.core.accounts.models import Role
from qualityfund.core.applications import services as applications
from qualityfund.core.applications.models import Application
from qualityfund.core.common import audit
from qualityfund.core.common.models import AuditRecord
from qualityfund.core.funding import services as funding
from qualityfund.core.funding.models import DisqualifierCheck, ItemStatus
from qualityfund.core.panels import pool
from qualityfund.core.panels import services as panels
from qualityfund.core.panels.models import Expert, PanelMember, ScoreSheet
from qualityfund.core.review import services as review
from qualityfund.core.review.items import item_choices
from qualityfund.core.review.reasons import REFUSAL_REASONS
from qualityfund.domain.identity import with_check_digit
from tests import factories, routes
from tests.core.funding.builders import (
    BYSTANDER,
    cleared,
    csv_upload,
    import_approved,
    judge,
    lists_in_force,
    reviewed,
)
from tests.core.panels.support import full_values, make_expert, rechecked_applications

# --- the policy ---------------------------------------------------------------------------------
# The actors of the walk. ``expert`` and ``chair`` sit on the panel named in the URL (the chair
# chairs it); ``outsider`` is an expert of the pool who does not; ``applicant`` owns the
# applications named in the URL.
APPLICANT, OFFICER, RECHECKER = "applicant", "officer", "rechecker"
EXPERT, CHAIR, OUTSIDER = "expert", "chair", "outsider"
DIRECTOR, FINANCE, AUDITOR, ADMIN = "director", "finance", "auditor", "admin"
ACTORS = (APPLICANT, OFFICER, RECHECKER, EXPERT, CHAIR, OUTSIDER, DIRECTOR, FINANCE, AUDITOR,
          ADMIN)

NOBODY = frozenset()  # a page to read: no role changes anything through it
EVERYONE = frozenset(ACTORS)  # public forms, and each user's own account (see SELF)
OWNER = frozenset({APPLICANT})
OFFICERS = frozenset({OFFICER, RECHECKER})  # 受理/初审; a rechecker is a second officer
CASE_OFFICER = frozenset({OFFICER})
PANEL_MANAGERS = frozenset({OFFICER, RECHECKER, ADMIN})
MEMBERS = frozenset({EXPERT, CHAIR})

# Route name → the roles whose POST/PUT/PATCH/DELETE may change something. Every route of the
# project has an entry (the Django admin by prefix), so a new route fails the test until
# someone decides who may write through it.
POLICY = {
    # public by design: log-in, registration, the objection to the public notice (异议)
    "web:login": EVERYONE, "admin:login": EVERYONE, "web:register": EVERYONE,
    "api:token": EVERYONE,
    "web:funding-objection": EVERYONE, "set_language": EVERYONE,
    # each signed-in user's own account: log-out, two-factor (required of bureau staff, the
    # auditor included), marking their own notices read
    "web:logout": EVERYONE, "web:login-otp": EVERYONE, "web:security-start": EVERYONE,
    "web:security-confirm": EVERYONE, "web:security-disable": EVERYONE,
    "web:security-token-revoke": EVERYONE, "web:password-change": EVERYONE,
    "api:logout": EVERYONE,
    "web:notification-list": EVERYONE,
    # verifying the audit chain again (the result is kept; nothing of the trail changes)
    "web:audit-verify": frozenset({AUDITOR, ADMIN}),
    # the applicant's organisation and applications (test_isolation: only its own)
    "web:organisation": OWNER, "web:organisation-add-user": OWNER,
    "web:application-new": OWNER, "web:application-edit": OWNER,
    "web:application-save": OWNER, "web:application-submit": OWNER,
    "web:application-withdraw": OWNER, "web:material-upload": OWNER,
    "web:material-remove": OWNER,
    "api:organisation": OWNER, "api:application-list": OWNER, "api:application-detail": OWNER,
    "api:application-submit": OWNER, "api:application-withdraw": OWNER,
    "api:material-list": OWNER, "api:material-detail": OWNER,
    "api:application-resubmit": OWNER,
    # 身份信息变更: the organisation asks (or withdraws); an officer decides
    "web:organisation-identity-change": OWNER,
    "web:organisation-identity-change-withdraw": OWNER,
    "api:organisation-identity-changes": OWNER,
    "api:organisation-identity-change-withdraw": OWNER,
    "web:review-identity-change-decide": OFFICERS,
    "api:review-identity-change-approve": OFFICERS, "api:review-identity-change-refuse": OFFICERS,
    # 申报指南: the window of a guide
    "web:guide-window": frozenset({ADMIN}),
    # formal review: 受理 / 不予受理 / 补正 / 核查 by an officer, 复审 by a rechecker only
    "web:review-accept": OFFICERS, "web:review-refuse": OFFICERS,
    "web:review-supplement": OFFICERS, "web:review-verify": OFFICERS,
    "web:review-recheck": frozenset({RECHECKER}),
    "api:review-accept": OFFICERS, "api:review-refuse": OFFICERS,
    "api:review-supplement": OFFICERS, "api:review-verify": OFFICERS,
    "api:review-recheck": frozenset({RECHECKER}),
    # panels: officers build and draw them; experts of the panel score; the chair finalises
    "web:panel-new": PANEL_MANAGERS, "web:panel-draw": PANEL_MANAGERS,
    "web:panel-chair": PANEL_MANAGERS, "web:panel-vacancy": PANEL_MANAGERS,
    "web:panel-clear": MEMBERS, "web:panel-sheet-save": MEMBERS,
    "web:panel-sheet-confirm": MEMBERS, "web:panel-conflict": MEMBERS,
    "api:panel-sheet": MEMBERS, "api:panel-sheet-confirm": MEMBERS,
    "web:panel-finalise": frozenset({CHAIR}), "web:panel-sheet-reopen": frozenset({CHAIR}),
    # the expert pool (专家库): administrators
    "web:panel-pool-import": frozenset({ADMIN}),
    "web:panel-expert-password": frozenset({ADMIN}),
    "web:panel-expert-availability": frozenset({ADMIN}),
    # the lists the checks read: an officer imports, another officer approves (four eyes)
    "web:funding-list-import": OFFICERS, "web:funding-list-review": OFFICERS,
    "web:funding-earlier-import": OFFICERS,
    # 不予资助情形查询 and the plan, by the case officer
    "web:funding-checks-run": CASE_OFFICER, "web:funding-check-decide": CASE_OFFICER,
    "web:funding-application-run-checks": CASE_OFFICER,
    "web:funding-application-clear": CASE_OFFICER,
    "web:funding-plan-draft": CASE_OFFICER, "web:funding-item-adjust": CASE_OFFICER,
    "web:funding-plan-consult": CASE_OFFICER,
    "web:funding-consultation-opinion": CASE_OFFICER,
    "web:funding-plan-notice": CASE_OFFICER, "web:funding-objection-answer": CASE_OFFICER,
    # 集体研究决策 by the director; 资助计划下达 by the officer or the director
    "web:funding-plan-decide": frozenset({DIRECTOR}),
    "web:funding-item-confirm-account": frozenset({DIRECTOR}),
    "web:funding-plan-final": frozenset({OFFICER, DIRECTOR}),
    # 资金拨付 by finance
    "web:funding-batch-create": frozenset({FINANCE}),
    "web:funding-payment-paid": frozenset({FINANCE}),
    "web:funding-payment-failed": frozenset({FINANCE}),
    # computations that save nothing: the officer's what-if page and the simulation API
    "web:funding-whatif": NOBODY, "api:plan-simulate": NOBODY,
    # pages and downloads
    **dict.fromkeys((
        "web:home", "web:healthz", "web:security", "web:guide-list", "web:guide-detail",
        "web:application-list", "web:application-checks", "web:application-progress",
        "web:application-form-pdf", "web:template-download", "web:material-download",
        "web:material-findings", "web:audit-trail", "web:review-queue",
        "web:review-application", "web:review-preview", "web:panel-list", "web:panel-pool",
        "web:panel-pool-export", "web:panel-detail", "web:panel-replay", "web:panel-ranking",
        "web:panel-report", "web:panel-sheet", "web:panel-material", "web:funding-home",
        "web:funding-checks", "web:funding-application-checks", "web:funding-lists",
        "web:funding-plans", "web:funding-plan", "web:funding-plan-minutes",
        "web:funding-plan-final-pdf", "web:funding-plan-final-xlsx",
        "web:funding-objection-scan", "web:funding-payments", "web:funding-batch",
        "web:funding-notice", "web:review-identity-changes", "web:review-identity-change",
        "api:review-identity-changes",
        "api:openapi", "api:guide-list", "api:guide-detail", "api:subprogramme-list",
        "api:subprogramme-detail", "api:application-self-check", "api:application-timeline",
        "api:application-form-pdf", "api:material-download", "api:funding-plan-list",
        "api:panel-list", "api:panel-ranking", "api:panel-assignments", "api:review-queue",
        "api:review-refusal-reasons", "api:application-supplementations",
    ), NOBODY),
}
# The Django admin: Django lets only ``is_staff`` users in, and only administrators are staff.
PREFIX_POLICY = {"admin:": frozenset({ADMIN}), "django-admin/": frozenset({ADMIN})}

# Routes whose allowed action writes nothing here, so the positive control cannot see it: the
# year's checks are queued as a background job (run by tests/core/funding).
# Finalising needs every sheet confirmed, and the seated experts have already cleared their
# conflicts: tests/core/panels covers both.
# The organisation of the walk has an identity change request pending (the decision routes
# decide it), so it cannot ask for another: tests/api and tests/web/views cover asking.
NO_CONTROL = {"web:funding-checks-run", "web:panel-finalise", "web:panel-clear",
              "web:organisation-identity-change", "api:organisation-identity-changes"}


def policy(name: str) -> frozenset:
    if name in POLICY:
        return POLICY[name]
    for prefix, allowed in PREFIX_POLICY.items():
        if name.startswith(prefix):
            return allowed
    raise KeyError(name)


# --- the scene ----------------------------------------------------------------------------------


@dataclass
class Scene:
    guide: object
    users: dict
    objects: dict = field(default_factory=dict)  # what each route's parameters name


def _user(role, organisation=None):
    return factories.make_user(role, organisation)


def _cleared(guide, officer, subprogramme, n=1, **extra):
    found = []
    for i in range(n):
        organisation = factories.make_organisation(f"深圳市角色{subprogramme}{i}有限公司")
        found.append(cleared(guide, organisation, subprogramme, officer=officer, **extra))
    return found


def _plan(guide, subprogramme, *, officer, director, until, noticed_at=None):
    """A plan taken through its steps up to ``until``; the applications of the review and
    panel scenes are still on their way, so each plan is a first round (批次)."""
    plan = funding.draft_plan(guide, subprogramme, by=officer, round_name="第一批",
                              reason="其余项目尚在评审中")
    if until == "draft":
        return plan
    funding.send_for_consultation(plan, ["市财政局", "局规划财务处"], by=officer)
    for consultation in plan.consultations.all():
        funding.record_opinion(consultation, "无意见", by=officer)
    if until == "consultation":
        return plan
    funding.record_decision(plan, meeting_date=timezone.localdate(), decision="同意",
                            minutes=SimpleUploadedFile("纪要.pdf", factories.pdf_bytes()),
                            by=director)
    if until == "decided":
        return plan
    return funding.publish_notice(plan, by=officer, starts_at=noticed_at)


def _review(scene, make_application, applicant, rechecker):
    """Accepted by another officer than the walk's: the walk's officer is refused the recheck
    by the permission, not by the rule that the first reviewer never rechecks."""
    first = _user(Role.OFFICER)
    submitted = applications.submit(make_application("qi-service", filled=True), by=applicant)
    accepted = applications.submit(make_application("qi-service", filled=True), by=applicant)
    review.accept(accepted, by=first)
    honors = applications.submit(make_application("honors", filled=True), by=applicant)
    review.accept(honors, by=first)
    review.recheck(honors, by=rechecker)
    change = submit_identity_change(applicant.organisation, {"name": "深圳市甲质量科技股份有限公司"},
                                    by=applicant, reason="工商变更")
    scene.objects.update(submitted=submitted, accepted=accepted, honors=honors,
                         file=submitted.material_files.first(), identity_change=change)


def _panels(scene, guide, officer):
    entered = rechecked_applications(guide, "innovation", 2, officer=officer,
                                     with_material=True)
    experts = [make_expert(f"角色专家{i}") for i in range(7)]
    panel = panels.create_panel(guide=guide, subprogramme="innovation", size=5,
                                expertise=["质量技术攻关"], by=officer)
    panel = panels.draw(panel, by=officer)
    seated = [m.expert for m in panel.members.order_by("seat")]
    chair, expert = seated[0], seated[1]
    panels.appoint_chair(panel, chair, by=officer)
    for member in (chair, expert):
        panels.clear_conflicts(panel, by=member.user)
    first, second = entered
    panels.save_sheet(first, by=chair.user, values=full_values(panel, 80))
    confirmed = panels.confirm_sheet(first, by=chair.user)
    panels.save_sheet(second, by=expert.user, values=full_values(panel, 75))
    rechecked_applications(guide, "innovation", 1, officer=officer)
    to_draw = panels.create_panel(guide=guide, subprogramme="innovation", size=5,
                                  expertise=["质量技术攻关"], by=officer)
    waiting = rechecked_applications(guide, "innovation", 1, officer=officer)  # a new panel
    outsider = next(e for e in experts if e not in seated)
    scene.users.update(chair=chair.user, expert=expert.user, outsider=outsider.user)
    scene.objects.update(panel=panel, to_draw=to_draw, entered=first, scored=second,
                         waiting=waiting[0],
                         entered_file=first.material_files.first(), sheet=confirmed,
                         pool_expert=outsider, chair_expert=expert,
                         vacant=_vacant_panel(guide, officer))


def _vacant_panel(guide, officer):
    """A panel with an empty seat: every 计量 expert sits on it, one declares a conflict; an
    expert of another field waits for the officer to widen the draw."""
    seated = [make_expert(f"计量专家{i}", expertise=["计量"]) for i in range(5)]
    [application] = rechecked_applications(guide, "innovation", 1, officer=officer)
    panel = panels.draw(panels.create_panel(guide=guide, subprogramme="innovation", size=5,
                                            expertise=["计量"], applications=[application],
                                            by=officer), by=officer)
    panels.declare_conflict(application, by=seated[0].user, reason="曾为该单位提供咨询服务")
    make_expert("补缺专家", expertise=["认证认可"])
    return panel


def _funding(scene, guide, officer, director, finance):
    hit_org = factories.make_organisation("深圳市失信角色有限公司")
    import_approved("dishonesty_list", [
        [hit_org.credit_code, hit_org.name, "2025-03-01", "深圳市公共信用信息管理系统"]])
    lists_in_force()
    _cleared(guide, officer, "brand", 2, score=85)
    _cleared(guide, officer, "gba", score=88, tier=2)
    _cleared(guide, officer, "incubation", score=62)
    _cleared(guide, officer, "digital", score=80, requested=280_000)
    _cleared(guide, officer, "qi-service", score=86, amount=260_000, requested=300_000)
    _cleared(guide, officer, "honors", 2, score=90)
    _cleared(guide, officer, "innovation", score=85, requested=150_000)  # no plan yet
    steps = {"officer": officer, "director": director}
    past = timezone.now() - timedelta(days=30)
    draft = _plan(guide, "brand", until="draft", **steps)
    consulting = _plan(guide, "gba", until="consultation", **steps)
    decided = _plan(guide, "incubation", until="decided", **steps)
    objected = _plan(guide, "digital", until="noticed", noticed_at=past, **steps)
    objection = funding.file_objection(
        objected, item=objected.items.first(), filer_kind="person", filer_name="张三",
        filer_id=with_check_digit("44030519800101123"), phone="13800000000",
        content="该项目的实施情况与申报不符。", at=past + timedelta(hours=1))
    noticed = _plan(guide, "qi-service", until="noticed", noticed_at=past, **steps)
    # An account changed (and approved) after the decision: the director confirms it.
    changed = decided.items.select_related("application__organisation").first()
    organisation = changed.application.organisation
    decide_identity_change(submit_identity_change(
        organisation, {"bank_account_number": "6222000011110000"},
        by=organisation.users.first()), approve=True, reason="已核实", by=officer)
    final = funding.finalise_plan(_plan(guide, "honors", until="noticed", noticed_at=past,
                                        **steps), by=officer)
    first, second = final.items.filter(status=ItemStatus.FUNDED)
    batch = funding.create_batch(guide, "2025年第一批", [first], by=finance)
    # reviewed after the plans were drafted (a plan waits for every check of its sub-programme)
    hit = reviewed(guide, hit_org, "qi-service", score=80, officer=officer)
    funding.run_checks(hit, by=officer)
    unchecked = reviewed(guide, factories.make_organisation("深圳市待查询有限公司"),
                         "qi-service", score=80, officer=officer)
    checked = reviewed(guide, factories.make_organisation("深圳市已查询有限公司"),
                       "qi-service", score=80, officer=officer)
    funding.run_checks(checked, by=officer)
    judge(checked, officer)
    pending_list = funding.import_list("bankruptcy", csv_upload("破产.csv", [
        ["统一社会信用代码", "名称", "日期", "来源"], BYSTANDER]), source="人民法院公告网",
        by=_user(Role.OFFICER))
    scene.objects.update(
        pending_list=pending_list,
        hit=hit.disqualifier_checks.get(outcome="hit", superseded=False), unchecked=unchecked,
        checked=checked, draft=draft, item=draft.items.first(), consulting=consulting,
        consultation=consulting.consultations.first(), decided=decided, objection=objection,
        noticed=noticed, final=final, batch=batch, payment=batch.payments.get(),
        payable=second, changed_item=changed)


@pytest.fixture
def scene(guide, make_application, applicant, officer, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    users = {APPLICANT: applicant, OFFICER: officer, RECHECKER: _user(Role.RECHECKER),
             DIRECTOR: _user(Role.DIRECTOR), FINANCE: _user(Role.FINANCE),
             AUDITOR: _user(Role.AUDITOR), ADMIN: _user(Role.ADMIN)}
    users[ADMIN].is_staff = users[ADMIN].is_superuser = True  # as the demo accounts have it
    users[ADMIN].save()
    built = Scene(guide, users)
    _review(built, make_application, applicant, users[RECHECKER])
    _panels(built, guide, officer)
    _funding(built, guide, officer, users[DIRECTOR], users[FINANCE])
    return built


# Which object each route's ``pk`` names (the submitted application unless listed).
PK = {
    "web:review-recheck": "accepted", "api:review-recheck": "accepted",
    "web:review-verify": "honors", "api:review-verify": "honors",
    "web:panel-draw": "to_draw", "web:panel-vacancy": "vacant",
    "web:panel-expert-password": "pool_expert", "web:panel-expert-availability": "pool_expert",
    "web:funding-check-decide": "hit", "web:funding-list-review": "pending_list",
    "web:funding-application-checks": "checked", "web:funding-application-run-checks":
        "unchecked", "web:funding-application-clear": "checked",
    "web:funding-plan": "draft", "web:funding-plan-consult": "draft",
    "web:funding-plan-decide": "consulting", "web:funding-plan-minutes": "decided",
    "web:funding-plan-notice": "decided", "web:funding-plan-final": "noticed",
    "web:funding-plan-final-pdf": "final", "web:funding-plan-final-xlsx": "final",
    "web:funding-item-adjust": "item", "web:funding-consultation-opinion": "consultation",
    "web:funding-objection-answer": "objection", "web:funding-objection-scan": "objection",
    "web:funding-batch": "batch", "web:funding-payment-paid": "payment",
    "web:funding-payment-failed": "payment",
    "web:funding-item-confirm-account": "changed_item",
    **dict.fromkeys((
        "web:organisation-identity-change-withdraw", "api:organisation-identity-change-withdraw",
        "web:review-identity-change", "web:review-identity-change-decide",
        "api:review-identity-change-approve", "api:review-identity-change-refuse"),
        "identity_change"),
}
PANEL_ROUTES = ("web:panel-", "api:panel-")


def values_for(route, scene) -> dict[str, list[str]]:
    objects = scene.objects
    application, material = objects["submitted"], objects["file"]
    pk = objects[PK[route.name]] if route.name in PK else application
    if route.name.startswith(PANEL_ROUTES) and route.name not in PK:
        pk = objects["panel"]
        application, material = objects["scored"], objects["entered_file"]
        if route.name == "web:panel-material":
            application = objects["entered"]
    return {
        "pk": [str(pk.pk)], "id": [str(pk.pk)], "app_pk": [str(application.pk)],
        "application_id": [str(application.pk)],
        "file_pk": [str(material.pk)], "file_id": [str(material.pk)],
        "slug": [scene.guide.slug], "key": ["pledge", application.subprogramme],
        "fmt": ["pdf"], "object_id": [str(application.pk)],
        "content_type_id": [str(ContentType.objects.get_for_model(Application).pk)],
        "app_label": [config.label for config in apps.get_app_configs()],
        "url": ["no-such-page/"],
    }


# --- what each action posts ---------------------------------------------------------------------


def _sheet_form(panel) -> dict:
    values = full_values(panel, 70)
    form = {f"score-{k}": v for k, v in values["scores"].items()}
    form.update({f"comment-{k}": v for k, v in values["comments"].items()})
    form["recommendation"] = "yes"
    form["amount"] = str(values["amount"] or "")
    form["site_visit"] = values["site_visit"]
    return form


def _item_key(application) -> str:
    return item_choices(application)[0].key


def _csv(name, rows):
    return csv_upload(name, rows)


PAYLOADS = {  # route → (method, data for the scene, sent as JSON)
    "web:guide-window": ("post", lambda s: {"opens_at": "2025-01-01T09:00",
                                            "closes_at": "2099-12-31T18:00"}, False),
    "api:application-list": ("post", lambda s: {"guide": s.guide.slug,
                                                "subprogramme": "qi-service"}, True),
    "web:review-accept": ("post", lambda s: {"note": "材料齐全"}, False),
    "web:review-refuse": ("post", lambda s: {"reason": REFUSAL_REASONS[0].code,
                                             "note": "不符合申报条件"}, False),
    "web:review-supplement": ("post", lambda s: {
        "item": _item_key(s.objects["submitted"]),
        f"reason:{_item_key(s.objects['submitted'])}": "请补充盖章页", "workdays": "5"}, False),
    "web:review-recheck": ("post", lambda s: {"note": "复审通过"}, False),
    "web:review-verify": ("post", lambda s: {"recommended": "yes", "note": "核查属实"}, False),
    "api:review-accept": ("post", lambda s: {"note": "材料齐全"}, True),
    "api:review-refuse": ("post", lambda s: {"reason": REFUSAL_REASONS[0].code}, True),
    "api:review-supplement": ("post", lambda s: {"items": [
        {"key": _item_key(s.objects["submitted"]), "reason": "请补充盖章页"}]}, True),
    "api:review-recheck": ("post", lambda s: {"note": "复审通过"}, True),
    "api:review-verify": ("post", lambda s: {"recommended": True}, True),
    "web:panel-new": ("post", lambda s: {"choice": f"{s.guide.pk}:innovation", "size": "5",
                                         "expertise": ["质量技术攻关"], "round": "第三批",
                                         "applications": [s.objects["waiting"].pk]}, False),
    "web:panel-draw": ("post", lambda s: {"workdays": "10"}, False),
    "web:panel-vacancy": ("post", lambda s: {"decision": "fill",
                                             "expertise": ["计量", "认证认可"]}, False),
    "web:panel-chair": ("post", lambda s: {"expert": s.objects["chair_expert"].pk}, False),
    "web:panel-clear": ("post", lambda s: {}, False),
    "web:panel-sheet-save": ("post", lambda s: _sheet_form(s.objects["panel"]), False),
    "web:panel-sheet-confirm": ("post", lambda s: _sheet_form(s.objects["panel"]), False),
    "web:panel-conflict": ("post", lambda s: {"reason": "曾为该单位提供咨询服务"}, False),
    "web:panel-finalise": ("post", lambda s: {}, False),
    "web:panel-sheet-reopen": ("post", lambda s: {"sheet": s.objects["sheet"].pk,
                                                  "reason": "请复核第二项评分"}, False),
    "api:panel-sheet": ("patch", lambda s: {"scores": full_values(s.objects["panel"], 72)[
        "scores"]}, True),
    "api:panel-sheet-confirm": ("post", lambda s: {}, True),
    "web:panel-pool-import": ("post", lambda s: {"file": SimpleUploadedFile(
        "专家库.xlsx", pool.export_workbook(Expert.objects.select_related("user")))}, False),
    "web:panel-expert-password": ("post", lambda s: {}, False),
    "web:panel-expert-availability": ("post", lambda s: {"available": "0"}, False),
    "web:funding-list-review": ("post", lambda s: {"decision": "approve"}, False),
    "web:funding-list-import": ("post", lambda s: {"kind": "dishonesty_list",
                                                   "source": "信用中国（广东深圳）", "file": _csv(
        "名单.csv", [["统一社会信用代码", "名称", "日期", "来源"],
                   [s.objects["checked"].organisation.credit_code, "某单位", "2025-03-01",
                    "深圳市公共信用信息管理系统"]])}, False),
    "web:funding-earlier-import": ("post", lambda s: {"file": _csv("往年.csv", [
        ["资助年度", "统一社会信用代码", "单位名称", "子项目", "项目名称", "项目简介"],
        [2024, s.objects["checked"].organisation.credit_code, "某单位", "brand", "往年项目",
         "简介"]])}, False),
    "web:funding-checks-run": ("post", lambda s: {"guide": s.guide.pk}, False),
    "web:funding-check-decide": ("post", lambda s: {"decision": "confirm",
                                                    "reason": "经查询属实"}, False),
    "web:funding-application-run-checks": ("post", lambda s: {}, False),
    "web:funding-application-clear": ("post", lambda s: {}, False),
    "web:funding-plan-draft": ("post", lambda s: {"guide": s.guide.pk,
                                                  "subprogramme": "innovation",
                                                  "round_name": "第一批",
                                                  "reason": "第二批专家组尚在评审"}, False),
    "web:funding-item-adjust": ("post", lambda s: {"amount": "150000",
                                                   "reason": "按实际核减"}, False),
    "web:funding-plan-consult": ("post", lambda s: {"departments": "市财政局"}, False),
    "web:funding-consultation-opinion": ("post", lambda s: {"opinion": "同意"}, False),
    "web:funding-plan-decide": ("post", lambda s: {
        "meeting_date": timezone.localdate().isoformat(), "decision": "同意拟资助方案",
        "minutes": SimpleUploadedFile("纪要.pdf", factories.pdf_bytes())}, False),
    "web:funding-plan-notice": ("post", lambda s: {"workdays": "5"}, False),
    "web:funding-objection-answer": ("post", lambda s: {"handling": "经核查，实施情况属实",
                                                        "answer": "异议不成立"}, False),
    "web:funding-plan-final": ("post", lambda s: {}, False),
    "web:funding-batch-create": ("post", lambda s: {"guide": s.guide.pk, "title": "第二批",
                                                    "items": [s.objects["payable"].pk]}, False),
    "web:funding-payment-paid": ("post", lambda s: {"reference": "ZF-0001"}, False),
    "web:funding-payment-failed": ("post", lambda s: {"reason": "账号有误"}, False),
    "web:audit-verify": ("post", lambda s: {}, False),

    "web:funding-item-confirm-account": ("post", lambda s: {"reason": "已核实开户证明"}, False),
    "web:organisation-identity-change": ("post", lambda s: {
        **_identity(s.users[APPLICANT].organisation), "bank_account_number": "1",
        "reason": "更换账户"}, False),
    "api:organisation-identity-changes": ("post", lambda s: {"bank_account_number": "1"}, True),
    "web:organisation-identity-change-withdraw": ("post", lambda s: {}, False),
    "api:organisation-identity-change-withdraw": ("post", lambda s: {}, True),
    "web:review-identity-change-decide": ("post", lambda s: {"decision": "approve",
                                                             "reason": "已核对"}, False),
    "api:review-identity-change-approve": ("post", lambda s: {"reason": "已核对"}, True),
    "api:review-identity-change-refuse": ("post", lambda s: {"reason": "材料不符"}, True),
}


def _identity(organisation) -> dict:
    return {name: getattr(organisation, name) for name in IDENTITY_FIELDS}


def _generic(method: str):
    """Data for a method the route does not expect."""
    if method in ("put", "patch"):
        return {"data": json.dumps({"note": "walk", "reason": "walk", "scores": {}}),
                "content_type": "application/json"}
    if method == "post":
        return {"data": {"note": "walk", "reason": "walk"}}
    return {}


def request_data(route, method: str, scene) -> dict:
    if route.name in PAYLOADS:
        expected, build, as_json = PAYLOADS[route.name]
        if method == expected:
            data = build(scene)
            if as_json:
                return {"data": json.dumps(data), "content_type": "application/json"}
            return {"data": data}
    return _generic(method)


# --- watching the database ----------------------------------------------------------------------


@contextmanager
def writes():
    """The statements that changed rows while the block ran (sessions aside)."""
    seen = []

    def watch(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        verb = sql.lstrip().split(None, 1)[0].upper()
        # an INSERT … RETURNING counts its rows only once they are fetched
        if (verb in ("INSERT", "UPDATE", "DELETE") and "django_session" not in sql
                and (verb == "INSERT" or context["cursor"].rowcount != 0)):
            seen.append(" ".join(sql.split()[:3]))
        return result

    with connection.execute_wrapper(watch):
        yield seen


def fingerprint() -> dict:
    """Counts of every model, the audit trail of changes, and the state of every application
    (sessions, the log of log-ins and the audit records of access aside: the walk itself logs
    its users in and reads their files)."""
    counts = {model._meta.label: model.objects.count() for model in apps.get_models()
              if model is not Session and model._meta.app_label != "axes"
              and model is not AuditRecord}
    return {"counts": counts,
            "audit": AuditRecord.objects.exclude(action__startswith=audit.ACCESS).count(),
            "applications": list(Application.objects.order_by("pk").values_list(
                "pk", "state", "updated_at"))}


REFUSED = {401, 403, 404, 405}
REDIRECT = {301, 302, 303, 307, 308}


def _client(user) -> Client:
    client = Client(raise_request_exception=False)  # a crash answers 500, and is reported
    client.force_login(user)
    return client


def walk(scene, actor, *, pages: bool) -> list[str]:
    """Every unsafe request the policy refuses ``actor`` (with ``pages``, on the pages to read
    as well); what went wrong, one per line.

    A write is a hole. The request of an action the actor may not take (``PAYLOADS``: its
    method and data) must also answer a refusal or a redirect, and so must every unsafe
    request of the auditor to an action; a page to read may answer a POST as a GET, as long as
    it writes nothing."""
    user = scene.users[actor]
    client = _client(user)
    problems = []
    for route in routes.all_routes():
        allowed = policy(route.name)
        if actor in allowed or not (pages or allowed):
            continue
        url = routes.build_url(route, values_for(route, scene))
        for method in routes.UNSAFE:
            if "_auth_user_id" not in client.session:
                client.force_login(user)
            with writes() as changed:
                response = getattr(client, method)(url, **request_data(route, method, scene))
            status = response.status_code
            if changed:
                problems.append(f"{actor}: {method.upper()} {url} ({route.name}) answered "
                                f"{status} and wrote {changed}")
            elif (allowed and status not in REFUSED | REDIRECT
                  and (actor == AUDITOR or PAYLOADS.get(route.name, ("",))[0] == method)):
                problems.append(f"{actor}: {method.upper()} {url} ({route.name}) answered "
                                f"{status}, expected a refusal")
    return problems


# --- the tests ----------------------------------------------------------------------------------


def test_every_route_has_a_policy():
    names = {route.name for route in routes.all_routes()}
    missing = []
    for name in sorted(names):
        try:
            policy(name)
        except KeyError:
            missing.append(name)
    assert missing == [], f"say in POLICY who may write through {missing}"
    assert set(POLICY) <= names, f"POLICY names routes that do not exist: {set(POLICY) - names}"
    assert set(PAYLOADS) <= names and NO_CONTROL <= set(PAYLOADS)


def test_the_auditor_changes_nothing_through_any_route(scene):
    """纪检/审计: "read everything, including the audit trail; change nothing"."""
    before = fingerprint()
    problems = walk(scene, AUDITOR, pages=True)
    assert problems == [], "\n".join(problems)
    assert fingerprint() == before


@pytest.mark.parametrize("actors", [
    (APPLICANT, OUTSIDER, EXPERT),
    (CHAIR, FINANCE, DIRECTOR),
    (OFFICER, RECHECKER, ADMIN),
])
def test_each_role_is_refused_the_actions_the_policy_does_not_give_it(scene, actors):
    before = fingerprint()
    problems = [line for actor in actors for line in walk(scene, actor, pages=False)]
    assert problems == [], "\n".join(problems)
    assert fingerprint() == before


def test_allowed_roles_succeed(scene):
    """The positive control: with the same URL and data, the first allowed staff role's
    request changes the database, so the refusals above are about the role."""
    problems = []
    by_name = {route.name: route for route in routes.all_routes()}
    for name, (method, _, _) in PAYLOADS.items():
        if name in NO_CONTROL:
            continue
        route = by_name[name]
        actor = next(a for a in ACTORS if a in policy(name))
        client = _client(scene.users[actor])
        url = routes.build_url(route, values_for(route, scene))
        with transaction.atomic():
            with writes() as changed:
                response = getattr(client, method)(url, **request_data(route, method, scene))
            transaction.set_rollback(True)
        if not changed or response.status_code >= 400:
            problems.append(f"{actor}: {method.upper()} {url} ({name}) answered "
                            f"{response.status_code} and wrote {changed}")
    assert problems == [], "\n".join(problems)


# Bureau pages the auditor reads (纪检/审计: "read everything, including the audit trail").
STAFF_PAGES = ("web:audit-trail", "web:review-", "web:panel-", "web:funding-", "api:review-",
               "api:panel-", "api:funding-")
# Not pages to read: the expert's own score sheet and materials (404 unless assigned), the
# form that builds a panel, the officer's what-if computation, an objection without a scan,
# the public notice, and a preview that the background job (not run here) has yet to make.
NOT_FOR_AUDITOR = {"web:panel-sheet", "web:panel-material", "api:panel-sheet", "web:panel-new",
                   "web:funding-whatif", "web:funding-objection-scan", "web:funding-notice",
                   "web:review-preview"}


def test_the_auditor_reads_every_staff_page_and_changes_nothing(scene):
    client = _client(scene.users[AUDITOR])
    before = fingerprint()
    problems = []
    for route in routes.all_routes():
        if not route.name.startswith(STAFF_PAGES) or route.name in NOT_FOR_AUDITOR:
            continue
        url = routes.build_url(route, values_for(route, scene))
        status = client.get(url).status_code
        if status != 200 and status != 405:  # 405: an action, not a page
            problems.append(f"GET {url} ({route.name}) answered {status}")
    assert problems == [], "\n".join(problems)
    trail = client.get("/audit/").content.decode()
    assert "funding.plan.decide" in trail or "集体研究决策" in trail
    assert fingerprint() == before


# The bureau's own pages: review, funding, the audit trail, the expert pool, the Django admin.
BUREAU_PAGES = ("web:audit-trail", "web:review-", "web:funding-", "web:panel-pool",
                "web:panel-expert-", "web:panel-new", "web:panel-replay", "api:review-",
                "api:funding-", "api:plan-", "admin:", "django-admin/")


PUBLIC_PAGES = {"web:funding-notice", "web:funding-objection", "admin:login"}  # 社会公示
# What the applicant reaches there about its own application: the officer's page sends it to
# its progress page, and the preview shows its own file (another organisation: test_isolation).
OWN_PAGES = {"web:review-application", "web:review-preview"}


@pytest.mark.parametrize("actor", [EXPERT, OUTSIDER, APPLICANT])
def test_experts_and_applicants_read_no_bureau_page(scene, actor):
    client = _client(scene.users[actor])
    problems = []
    for route in routes.all_routes():
        if (not route.name.startswith(BUREAU_PAGES) or route.name in PUBLIC_PAGES
                or (actor == APPLICANT and route.name in OWN_PAGES)):
            continue
        url = routes.build_url(route, values_for(route, scene))
        response = client.get(url)
        if response.status_code not in REFUSED and not routes.is_login_redirect(client,
                                                                                 response):
            problems.append(f"GET {url} ({route.name}) answered {response.status_code}")
    assert problems == [], "\n".join(problems)


def test_an_expert_sees_only_the_panels_they_sit_on(scene):
    panel = scene.objects["panel"]
    member, outsider = _client(scene.users[EXPERT]), _client(scene.users[OUTSIDER])
    assert panel.name in member.get("/panels/").content.decode()
    assert [p["id"] for p in member.get("/api/v1/panels/").json()] == [panel.pk]
    assert panel.name not in outsider.get("/panels/").content.decode()
    assert outsider.get("/api/v1/panels/").json() == []
    assert member.get(f"/panels/{panel.pk}/").status_code == 200
    for url in (f"/panels/{panel.pk}/", f"/panels/{panel.pk}/ranking/",
                f"/api/v1/panels/{panel.pk}/assignments/",
                f"/panels/{panel.pk}/applications/{scene.objects['scored'].pk}/"):
        assert outsider.get(url).status_code == 404, url
    # a member who is not the chair does not see the ranking either
    assert member.get(f"/panels/{panel.pk}/ranking/").status_code in (403, 404)
    assert PanelMember.objects.filter(panel=panel, expert__user=scene.users[OUTSIDER]
                                      ).count() == 0
    assert ScoreSheet.objects.filter(panel=panel).count() == 2
    assert DisqualifierCheck.objects.filter(outcome="hit").exists()
