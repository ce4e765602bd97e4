"""The applicant's journey: choose a sub-programme, fill, self-check, submit, follow."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from qualityfund.core.applications import services
from qualityfund.core.applications.checks import run_checks
from qualityfund.core.applications.limits import material_upload_limit
from qualityfund.core.applications.models import Application
from qualityfund.core.applications.states import EDITABLE, SUPPLEMENTABLE, WITHDRAWABLE
from qualityfund.core.common import audit
from qualityfund.core.common.downloads import file_download
from qualityfund.core.common.errors import RuleViolation
from qualityfund.core.common.uploads import upload_limit
from qualityfund.core.guides.models import Guide
from qualityfund.core.review.queries import open_supplementation

from ..forms import ApplicationForm, MaterialUploadForm


def get_application(request, pk, permission="applications.view_application") -> Application:
    """The application, or 404 when the user may not even see it (nothing is revealed)."""
    application = get_object_or_404(
        Application.objects.select_related("guide", "organisation"), pk=pk)
    if not request.user.has_perm("applications.view_application", application):
        raise Http404("没有找到该申请")
    if not request.user.has_perm(permission, application):
        raise PermissionDenied("无权执行此操作")
    return application


@login_required
def application_list(request):
    if not request.user.is_applicant:
        raise PermissionDenied("仅申报单位经办人可查看本单位申请")
    # The guide's 70 KB of data is read once per process (Guide.spec), not once per row.
    applications = Application.objects.of_organisation(request.user.organisation).select_related(
        "guide").defer("guide__data")
    return render(request, "web/application_list.html", {
        "applications": applications,
        "open_guides": Guide.objects.open_at(),
    })


@login_required
def application_new(request):
    """选择办理情形: choose a guide that is open and one of its sub-programmes."""
    if not request.user.has_perm("applications.create_application"):
        raise PermissionDenied("仅申报单位经办人可新建申请")
    guides = list(Guide.objects.filter(closes_at__gte=timezone.now()))
    if request.method == "POST":
        guide_id = request.POST.get("guide", "")
        guide = get_object_or_404(Guide, pk=guide_id if guide_id.isdigit() else None)
        try:
            application = services.create_application(
                guide=guide, subprogramme=request.POST.get("subprogramme", ""),
                by=request.user)
        except KeyError:
            messages.error(request, "请选择申报的子项目")
        except RuleViolation as exc:
            messages.error(request, exc.message)
        else:
            return redirect("web:application-edit", pk=application.pk)
    return render(request, "web/application_new.html", {"guides": guides})


def _edit_context(application, form, files=None):
    files = files if files is not None else list(
        application.material_files.current().order_by("material_key", "uploaded_at"))
    request = _limit_to_request(application, form)
    slots = material_slots(application, files)
    reasons = {item.key: item.reason for item in request.items.all()} if request else {}
    for slot in slots:
        key = f"material:{slot['material'].key}"
        slot["editable"] = application.state in EDITABLE or key in reasons
        slot["supplement_reason"] = reasons.get(key, "")
    return {
        "application": application, "spec": application.spec, "form": form,
        "checklist": run_checks(application, files),
        "slots": slots,
        "editable": application.state in EDITABLE,
        "supplementation": request,
        "upload_form": MaterialUploadForm(),
    }


def _limit_to_request(application, form):
    """During 补正 only the listed fields stay enabled; returns the open request or None."""
    if application.state not in SUPPLEMENTABLE:
        return None
    request = open_supplementation(application)
    allowed = request.keys() if request else set()
    for name, field in form.fields.items():
        key = f"figure:{name[7:]}" if name.startswith("figure_") else f"field:{name}"
        if key not in allowed:
            field.disabled = True
    return request


def material_slots(application, files):
    """One slot per material the guide lists, with its current files."""
    by_key = {}
    for f in files:
        by_key.setdefault(f.material_key, []).append(f)
    guide_spec = application.guide.spec
    return [
        {"material": m, "files": by_key.get(m.key, []),
         "template": guide_spec.template(m.template) if m.template else None}
        for m in application.spec.materials
    ]


@login_required
def application_edit(request, pk):
    application = get_application(request, pk)
    if application.state not in EDITABLE | SUPPLEMENTABLE:
        return redirect("web:application-progress", pk=pk)
    if not request.user.has_perm("applications.change_application", application):
        raise PermissionDenied("无权修改该申请")
    form = ApplicationForm(application=application,
                           initial=ApplicationForm.initial_for(application))
    return render(request, "web/application_edit.html", _edit_context(application, form))


@login_required
@require_POST
def application_save(request, pk):
    """Autosave (htmx, on every change) or the save button: keep what is valid, show the rest.

    Answers the form with its errors and the live self-check."""
    application = get_application(request, pk, "applications.change_application")
    form = ApplicationForm(request.POST, application=application,
                           initial=ApplicationForm.initial_for(application))
    request_ = _limit_to_request(application, form)
    form.is_valid()
    fields, figures = form.changes()
    if request_ is not None:  # 补正: keep only the listed items
        allowed = request_.keys()
        fields = {k: v for k, v in fields.items() if f"field:{k}" in allowed}
        figures = {k: v for k, v in figures.items() if f"figure:{k}" in allowed}
    try:
        application = services.save_draft(application, by=request.user, fields=fields,
                                          figures=figures)
    except RuleViolation as exc:
        messages.error(request, exc.message)
    context = _edit_context(application, form)
    context["saved_at"] = timezone.localtime()
    if request.htmx:
        return render(request, "web/partials/application_form.html", context)
    messages.success(request, "草稿已保存")
    return redirect("web:application-edit", pk=pk)


@login_required
def application_checks(request, pk):
    application = get_application(request, pk)
    return render(request, "web/partials/checklist.html",
                  {"checklist": run_checks(application), "application": application})


@login_required
@require_POST
@upload_limit(lambda request, pk, key: material_upload_limit(request.user, pk, key))
def material_upload(request, pk, key):
    application = get_application(request, pk, "applications.change_application")
    form = MaterialUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请选择要上传的文件")
    else:
        try:
            record = services.upload_material(application, key, form.cleaned_data["file"],
                                              by=request.user)
            messages.success(request, f"已上传：{record.original_name}")
        except RuleViolation as exc:
            messages.error(request, exc.message)
    return redirect(f"{_edit_url(pk)}#material-{key}")


def _edit_url(pk) -> str:
    return reverse("web:application-edit", args=[pk])


@login_required
@require_POST
def material_remove(request, pk, file_pk):
    application = get_application(request, pk, "applications.change_application")
    material_file = get_object_or_404(application.material_files.current(), pk=file_pk)
    try:
        services.remove_material_file(material_file, by=request.user)
        messages.success(request, f"已移除：{material_file.original_name}")
    except RuleViolation as exc:
        messages.error(request, exc.message)
    return redirect(f"{_edit_url(pk)}#material-{material_file.material_key}")


@login_required
@require_safe
def material_download(request, pk, file_pk):
    """Files are never under a public URL; this view checks who asks."""
    application = get_application(request, pk)
    material_file = get_object_or_404(application.material_files, pk=file_pk)
    audit.access(request, "download", material_file, file=material_file.original_name)
    return file_download(material_file.file, name=material_file.original_name,
                         kind=material_file.file_type)


@login_required
def material_findings(request, pk, file_pk):
    """The automatic findings of one file (htmx polls while the check runs)."""
    application = get_application(request, pk)
    material_file = get_object_or_404(application.material_files, pk=file_pk)
    return render(request, "web/partials/findings.html", {"f": material_file,
                                                          "application": application})


@login_required
def application_submit(request, pk):
    """Confirm and submit; on refusal the blocking conditions are listed, nothing changes."""
    application = get_application(request, pk, "applications.submit_application")
    supplementing = application.state in SUPPLEMENTABLE
    if request.method == "POST":
        try:
            if supplementing:
                services.resubmit(application, by=request.user)
            else:
                services.submit(application, by=request.user)
        except RuleViolation as exc:
            messages.error(request, exc.message if not exc.problems else "提交未成功：以下条件未满足")
            return render(request, "web/application_submit.html", {
                "application": application, "checklist": run_checks(application),
                "refused": exc, "supplementation": open_supplementation(application)},
                status=400)
        messages.success(request, "补正已提交，等待审核人员审查" if supplementing
                         else "申请已提交，申请表已生成")
        return redirect("web:application-progress", pk=pk)
    return render(request, "web/application_submit.html", {
        "application": application, "checklist": run_checks(application),
        "window_open": None if supplementing else application.guide.is_open(),
        "supplementation": open_supplementation(application) if supplementing else None})


@login_required
@require_POST
def application_withdraw(request, pk):
    application = get_application(request, pk, "applications.withdraw_application")
    try:
        services.withdraw(application, by=request.user, reason=request.POST.get("reason", ""))
        messages.success(request, "申请已撤回")
    except RuleViolation as exc:
        messages.error(request, exc.message)
    return redirect("web:application-progress", pk=pk)


def in_guide_order(application, files) -> list:
    """Files in the order the guide lists their materials (①②③…), oldest first within one."""
    order = {m.key: i for i, m in enumerate(application.spec.materials)}
    return sorted(files, key=lambda f: order.get(f.material_key, len(order)))


@login_required
def application_progress(request, pk):
    application = get_application(request, pk)
    return render(request, "web/application_progress.html", {
        "application": application,
        "timeline": application.state_changes.select_related("by"),
        "files": in_guide_order(application, application.material_files.select_related(
            "uploaded_by").order_by("uploaded_at")),
        "can_withdraw": application.state in WITHDRAWABLE and request.user.has_perm(
            "applications.withdraw_application", application),
        "editable": application.state in EDITABLE,
        "supplementation": open_supplementation(application)
        if application.state in SUPPLEMENTABLE else None,
    })


@login_required
@require_safe
def application_form_pdf(request, pk):
    application = get_application(request, pk)
    if not application.form_pdf:
        raise Http404("申请提交后自动生成申请表")
    audit.access(request, "download", application, file="申请表")
    return FileResponse(application.form_pdf.open("rb"), as_attachment=True,
                        filename=f"{application.number}-申请表.pdf",
                        content_type="application/pdf")
