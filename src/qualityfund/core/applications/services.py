"""Every change to an application, each in one transaction with a permission check and an
audit record. Views and the API call these; they never set ``state`` themselves."""

import hashlib
from dataclasses import asdict

from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from qualityfund.core.accounts.identity import Snapshot
from qualityfund.core.accounts.models import Organisation
from qualityfund.core.common import audit, text
from qualityfund.core.common.errors import RuleViolation
from qualityfund.core.common.permissions import require
from qualityfund.core.common.tasks import enqueue
from qualityfund.core.runtime import files
from qualityfund.domain.inspection import sniff_type

from . import tasks
from .checks import run_checks
from .models import Application, MaterialFile, StateChange
from .states import EDITABLE, SUPPLEMENTABLE, WITHDRAWABLE, State, can_move

COMMON_FIELDS = ("project_name", "summary", "implementation_district", "started_on",
                 "requested_amount", "contact_name", "contact_phone")
TEXT_FIELDS = ("project_name", "summary", "contact_name", "contact_phone")
FIGURE_TEXT_LIMIT = 1000  # a declared figure, the longest being a text one (典型案例、成效)
WITHDRAW_REASON_LIMIT = 500


def transition(application: Application, target: str, *, by, note: str = "", at=None) -> None:
    """Move ``application`` to ``target``, append the timeline and the audit trail.

    Callers hold the transaction and have checked permission; this checks the lifecycle.
    """
    source = application.state
    if not can_move(source, target):
        raise RuleViolation(
            f"当前状态“{State(source).label}”不能变更为“{State(target).label}”", field="state")
    at = at or timezone.now()
    application.state = target
    application.save(update_fields=["state", "updated_at"])
    StateChange.objects.create(application=application, from_state=source, to_state=target,
                               at=at, by=by if getattr(by, "pk", None) else None, note=note)
    audit.record(by, f"application.{target}", application, source=source, note=note)


@transaction.atomic
def create_application(*, guide, subprogramme: str, by) -> Application:
    """Start a draft in ``subprogramme`` of ``guide`` for the user's organisation."""
    require(by, "applications.create_application")
    guide.subprogramme(subprogramme)  # KeyError for an unknown sub-programme
    if timezone.now() > guide.closes_at:
        raise RuleViolation(f"“{guide}”的申报时间已截止，不能再新建申请", field="guide")
    application = Application.objects.create(
        guide=guide, subprogramme=subprogramme, organisation=by.organisation, created_by=by,
        contact_name=by.organisation.contact_name, contact_phone=by.organisation.contact_phone,
    )
    StateChange.objects.create(application=application, to_state=State.DRAFT,
                               at=application.created_at, by=by)
    audit.record(by, "application.create", application, subprogramme=subprogramme)
    return application


def _lock(application: Application) -> Application:
    """Re-read the row under a lock, so two requests cannot both act on a stale state."""
    return Application.objects.select_for_update().select_related(
        "guide", "organisation").get(pk=application.pk)


def _require_editable(application: Application, *items: str) -> None:
    """A draft may change freely; during 补正 only the items the officer listed
    (``material:<key>``, ``field:<name>``, ``figure:<key>``) and only before the deadline."""
    if application.state in EDITABLE:
        return
    if application.state in SUPPLEMENTABLE:
        from qualityfund.core.review.items import item_choices
        from qualityfund.core.review.queries import open_supplementation

        request = open_supplementation(application)
        if request is not None:
            if timezone.now() > request.deadline:
                raise RuleViolation(
                    f"补正期限已于{timezone.localtime(request.deadline):%Y-%m-%d %H:%M}截止，"
                    "不能再修改", field="state")
            allowed = request.keys()
            labels = {c.key: c.label for c in item_choices(application)}
            for item in items:
                if item not in allowed:
                    raise RuleViolation(
                        f"补正期间只能修改补正通知所列事项，“{labels.get(item, item)}”不在其中",
                        field=item.split(":", 1)[-1])
            return
    raise RuleViolation(
        f"申请当前状态为“{application.public_state}”，不能修改", field="state")


@transaction.atomic
def save_draft(application: Application, *, by, fields: dict | None = None,
               figures: dict | None = None) -> Application:
    """Save any subset of the common fields and declared figures; partial input is kept.

    Values are validated by the forms and serializers; this refuses unknown keys so that
    nothing is silently dropped.
    """
    require(by, "applications.change_application", application)
    application = _lock(application)
    _require_editable(application, *(f"field:{name}" for name in fields or {}),
                      *(f"figure:{key}" for key in figures or {}))
    changed = {}
    for name, value in (fields or {}).items():
        if name not in COMMON_FIELDS:
            raise RuleViolation(f"未知字段：{name}", field=name)
        if name in TEXT_FIELDS:
            value = text.clean(Application, name, value)
        setattr(application, name, value)
        changed[name] = str(value) if value is not None else None
    if figures:
        known = {f.key: f for f in application.spec.figures}
        for key, value in figures.items():
            if key not in known:
                raise RuleViolation(f"本子项目没有指标：{key}", field=key)
            text.clean_value("" if value is None else str(value), limit=FIGURE_TEXT_LIMIT,
                             label=f"「{known[key].label}」", field=key)
        application.figures = {**application.figures,
                               **{k: ("" if v is None else str(v)) for k, v in figures.items()}}
        changed["figures"] = {k: application.figures[k] for k in figures}
    application.save()
    audit.record(by, "application.save_draft", application, changed=changed)
    return application


def _sha256(uploaded) -> str:
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return digest.hexdigest()


TYPE_NAMES = {"pdf": "PDF", "jpg": "JPG图片", "png": "PNG图片", "docx": "Word文档（docx）",
              "xlsx": "Excel表格（xlsx）", "mp4": "MP4视频"}


@transaction.atomic
def upload_material(application: Application, material_key: str, uploaded, *, by
                    ) -> MaterialFile:
    """Store one file in a material slot; a single-file slot keeps the replaced version.

    The type is sniffed from the content, not the name; the size limit is the guide's.
    """
    require(by, "applications.change_application", application)
    application = _lock(application)
    _require_editable(application, f"material:{material_key}")
    material = next((m for m in application.spec.materials if m.key == material_key), None)
    if material is None or material.generated:
        raise RuleViolation(f"本子项目没有需要上传的材料：{material_key}", field="material")
    if uploaded.size == 0:
        raise RuleViolation(f"“{material.title}”：文件为空", field=material_key)
    if uploaded.size > material.max_size_mb * 1024 * 1024:
        raise RuleViolation(
            f"“{material.title}”：文件大小 {uploaded.size / 1048576:.1f} MB，"
            f"超过上限 {material.max_size_mb} MB", field=material_key)
    head = uploaded.read(8192)
    uploaded.seek(0)
    kind = sniff_type(head)
    if kind not in material.types:
        allowed = "、".join(TYPE_NAMES.get(t, t) for t in material.types)
        found = TYPE_NAMES.get(kind, "无法识别的格式") if kind else "无法识别的格式"
        raise RuleViolation(
            f"“{material.title}”：文件内容为{found}，只接受{allowed}", field=material_key)
    now = timezone.now()
    previous = None
    if not material.multiple:
        previous = application.material_files.current().filter(
            material_key=material_key).first()
        if previous:
            previous.superseded_at = now
            previous.save(update_fields=["superseded_at"])
    record = MaterialFile(
        application=application, material_key=material_key,
        original_name=uploaded.name[:255], file_type=kind, size=uploaded.size,
        sha256=_sha256(uploaded), uploaded_by=by, replaces=previous,
    )
    files.save(record.file, record.original_name, uploaded)
    record.save()
    audit.record(by, "material.upload", application, material=material_key,
                 file=record.pk, sha256=record.sha256, replaces=previous.pk if previous else None)
    enqueue(tasks.inspect_material_file, record.pk)
    return record


@transaction.atomic
def remove_material_file(material_file: MaterialFile, *, by) -> None:
    """Take a file out of a draft's slot (kept on record as superseded)."""
    application = material_file.application
    require(by, "applications.change_application", application)
    application = _lock(application)
    _require_editable(application, f"material:{material_file.material_key}")
    if material_file.superseded_at is not None:
        raise RuleViolation(f"“{material_file.original_name}”已被替换或移除", field="file")
    material_file.superseded_at = timezone.now()
    material_file.save(update_fields=["superseded_at"])
    audit.record(by, "material.remove", application, file=material_file.pk,
                 material=material_file.material_key)


@transaction.atomic
def submit(application: Application, *, by, at=None) -> Application:
    """Submit inside the window, with every check re-run on the server; all or nothing.

    指南 四（三）: "超过申报时间提交的不予受理" — the window is compared with the server
    clock to the instant. The 申请表 PDF is produced in the same transaction.
    """
    require(by, "applications.submit_application", application)
    application = _lock(application)
    at = at or timezone.now()
    if application.state not in EDITABLE:
        raise RuleViolation(f"申请当前状态为“{application.public_state}”，不能提交",
                            field="state")
    guide = application.guide
    # The organisation too, so that an edit saved meanwhile is either in the checks and the
    # snapshot or waits for them.
    application.organisation = Organisation.objects.select_for_update().get(
        pk=application.organisation_id)
    if not guide.is_open(at):
        raise RuleViolation(
            f"不在申报时间内：申报时间为 {timezone.localtime(guide.opens_at):%Y-%m-%d %H:%M} 至 "
            f"{timezone.localtime(guide.closes_at):%Y-%m-%d %H:%M}，超过申报时间提交的不予受理",
            field="guide")
    checklist = run_checks(application)
    if not checklist.passes:
        raise RuleViolation(
            "以下条件未满足，不能提交：" + "；".join(
                f"{r.text}（{r.reason}）" for r in checklist.blocking),
            problems=checklist.blocking)
    application.number = application.number or (
        f"ZLPP-{guide.year}-{application.subprogramme.upper()}-{application.pk:06d}")
    application.submitted_at = at
    application.self_check = [asdict(r) for r in checklist.results]
    # 申报时快照: from now on the organisation's identity changes only through an identity
    # change request, and this application keeps the values it was submitted with.
    application.organisation_snapshot = Snapshot.of(application.organisation).as_data()
    transition(application, State.SUBMITTED, by=by, at=at)
    _store_form_pdf(application)
    application.save(update_fields=["number", "submitted_at", "self_check",
                                    "organisation_snapshot", "form_pdf", "form_sha256",
                                    "updated_at"])
    return application


@transaction.atomic
def withdraw(application: Application, *, by, reason: str = "") -> Application:
    """撤回: possible until the application is accepted."""
    require(by, "applications.withdraw_application", application)
    reason = text.clean_value(reason, limit=WITHDRAW_REASON_LIMIT, label="撤回原因",
                              field="reason")
    application = _lock(application)
    if application.state not in WITHDRAWABLE:
        raise RuleViolation(
            f"申请当前状态为“{application.public_state}”，受理后不能撤回", field="state")
    if application.state == State.SUPPLEMENTING:
        from qualityfund.core.review.models import Supplementation

        Supplementation.objects.open().filter(application=application).update(
            status=Supplementation.Status.CLOSED, resolved_at=timezone.now())
    transition(application, State.WITHDRAWN, by=by, note=reason)
    return application


def _store_form_pdf(application: Application) -> None:
    """Render the 申请表 from the data as it now is and keep its hash."""
    from qualityfund.core.documents.application_form import render_application_form

    pdf = render_application_form(application)
    application.form_sha256 = hashlib.sha256(pdf).hexdigest()
    files.save(application.form_pdf, f"{application.number}.pdf", ContentFile(pdf))


@transaction.atomic
def resubmit(application: Application, *, by, at=None) -> Application:
    """Answer a 补正 request: every listed item changed, checks re-run, before the deadline.

    指南 七（一）: "申报单位应当在限期内补齐材料，逾期未补齐的，视为放弃申报". The officer
    then sees what changed (kept on the request). The 申请表 is produced again.
    """
    from qualityfund.core.review.items import changed_keys, changes_since
    from qualityfund.core.review.models import Supplementation

    require(by, "applications.submit_application", application)
    application = _lock(application)
    at = at or timezone.now()
    if application.state not in SUPPLEMENTABLE:
        raise RuleViolation(
            f"申请当前状态为“{application.public_state}”，没有待补正的事项", field="state")
    request = (Supplementation.objects.select_for_update().open()
               .filter(application=application).order_by("-requested_at").first())
    if request is None:
        raise RuleViolation("没有待补正的事项", field="state")
    if at > request.deadline:
        raise RuleViolation(
            f"补正期限已于{timezone.localtime(request.deadline):%Y-%m-%d %H:%M}截止，"
            "逾期未补齐的，视为放弃申报（指南七（一））", field="state")
    diff = changes_since(application, request.snapshot)
    untouched = [item for item in request.items.all() if item.key not in changed_keys(diff)]
    if untouched:
        raise RuleViolation(
            "以下补正事项尚未修改，不能提交补正：" + "、".join(f"“{i.label}”" for i in untouched),
            field=untouched[0].name)
    checklist = run_checks(application)
    if not checklist.passes:
        raise RuleViolation(
            "以下条件未满足，不能提交补正：" + "；".join(
                f"{r.text}（{r.reason}）" for r in checklist.blocking),
            problems=checklist.blocking)
    request.status = Supplementation.Status.MET
    request.resolved_at = at
    request.changes = diff
    request.save(update_fields=["status", "resolved_at", "changes"])
    application.self_check = [asdict(r) for r in checklist.results]
    transition(application, State.SUBMITTED, by=by, at=at,
               note="已补正：" + "、".join(i.label for i in request.items.all()))
    _store_form_pdf(application)
    application.save(update_fields=["self_check", "form_pdf", "form_sha256", "updated_at"])
    audit.record(by, "application.resubmit", application, supplementation=request.pk,
                 changed=sorted(changed_keys(diff)))
    from qualityfund.core.notifications.services import notify_applicants

    notify_applicants(application, kind="application.resubmitted", title="补正材料已提交",
                      body=f"您单位的申请“{application.project_name}”（申报编号 "
                           f"{application.number}）已提交补正，等待审核人员审查。",
                      link=reverse("web:application-progress", args=[application.pk]))
    return application
