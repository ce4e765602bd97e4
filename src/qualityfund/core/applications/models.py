"""Applications, their materials (every version kept) and their timeline."""

import uuid

from django.conf import settings
from django.db import models

from qualityfund.core.accounts.identity import Snapshot
from qualityfund.core.accounts.models import Organisation
from qualityfund.core.common.text import LimitedTextField, NameField
from qualityfund.core.guides.models import Guide
from qualityfund.domain.selfcheck import DISTRICTS

from .states import State


class ApplicationQuerySet(models.QuerySet):
    def of_organisation(self, organisation):
        return self.filter(organisation=organisation)

    def visible_to(self, user):
        """What ``user`` may list: an applicant its organisation's, bureau staff all."""
        if user.is_authenticated and user.is_bureau_staff:
            return self
        if user.is_authenticated and user.is_applicant:
            return self.filter(organisation_id=user.organisation_id)
        return self.none()


class Application(models.Model):
    """资助申请: the common project fields, the sub-programme's declared figures, a state."""

    guide = models.ForeignKey(Guide, verbose_name="申报指南", on_delete=models.PROTECT,
                              related_name="applications")
    subprogramme = models.CharField("子项目", max_length=20, db_index=True)
    organisation = models.ForeignKey(Organisation, verbose_name="申报单位",
                                     on_delete=models.PROTECT, related_name="applications")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="创建人",
                                   on_delete=models.PROTECT, related_name="+")
    number = models.CharField("申报编号", max_length=40, unique=True, null=True, blank=True)

    project_name = NameField("项目名称", max_length=200, blank=True)
    summary = LimitedTextField("项目简介", max_length=2000, blank=True)
    implementation_district = models.CharField(
        "项目实施地", max_length=20, blank=True, choices=[(d, d) for d in DISTRICTS]
    )
    started_on = models.DateField("项目开始日期", null=True, blank=True)
    requested_amount = models.PositiveBigIntegerField("申请资助金额（元）", null=True, blank=True)
    contact_name = NameField("项目联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=30, blank=True)
    # Declared figures of the sub-programme, as entered (strings), keyed by the guide's
    # figure keys; the domain layer types and checks them.
    figures = models.JSONField("申报指标", default=dict, blank=True)

    state = models.CharField("状态", max_length=20, choices=State.choices,
                             default=State.DRAFT, db_index=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    self_check = models.JSONField("提交时自检结果", default=list, blank=True)
    # 申报时快照: the organisation's identity as submitted (core.accounts.identity).
    organisation_snapshot = models.JSONField("申报时快照", default=dict, blank=True)
    form_pdf = models.FileField("申请表", upload_to="forms/%Y/", blank=True)
    form_sha256 = models.CharField("申请表SHA-256", max_length=64, blank=True)

    # The outcome of panel review or verification, written when the chair finalises the
    # panel (or the officer completes 核查); the funding plan reads these.
    review_score = models.DecimalField("评审得分", max_digits=6, decimal_places=2, null=True,
                                       blank=True)
    review_tier = models.PositiveSmallIntegerField("评审等次", null=True, blank=True)
    review_recommended = models.BooleanField("专家组推荐", null=True, blank=True)
    review_amount = models.PositiveBigIntegerField("建议资助金额（元）", null=True, blank=True)

    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("最后保存", auto_now=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "资助申请"
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["guide", "subprogramme", "state"])]

    def __str__(self):
        return self.project_name or f"申请 #{self.pk}"

    @property
    def spec(self):
        """This application's sub-programme as the guide file describes it."""
        return self.guide.subprogramme(self.subprogramme)

    @property
    def public_state(self) -> str:
        return State(self.state).label

    @property
    def organisation_as_submitted(self) -> Snapshot:
        """The organisation as this application was submitted (as it is now for a draft)."""
        return Snapshot.stored(self.organisation_snapshot, self.organisation)


class StateChange(models.Model):
    """One step of the timeline the applicant sees on the progress page."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                    related_name="state_changes")
    from_state = models.CharField(max_length=20, choices=State.choices, blank=True)
    to_state = models.CharField(max_length=20, choices=State.choices)
    at = models.DateTimeField(db_index=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                           on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "状态变更"
        ordering = ["at", "id"]

    @property
    def public_name(self) -> str:
        return State(self.to_state).label


def material_path(instance, filename: str) -> str:
    """Files are stored under random names; the original name is kept in the record."""
    return f"materials/{instance.application_id}/{uuid.uuid4().hex}"


class MaterialFileQuerySet(models.QuerySet):
    def current(self):
        return self.filter(superseded_at__isnull=True)


class MaterialFile(models.Model):
    """One uploaded file in a material slot. A replaced file is kept, marked superseded."""

    class Inspection(models.TextChoices):
        PENDING = "pending", "检查中"
        DONE = "done", "已检查"
        FAILED = "failed", "检查失败"

    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                    related_name="material_files")
    material_key = models.CharField("材料", max_length=40)
    file = models.FileField(upload_to=material_path)
    original_name = models.CharField("文件名", max_length=255)
    file_type = models.CharField("文件类型", max_length=10)
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    superseded_at = models.DateTimeField("被替换时间", null=True, blank=True)
    replaces = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="replaced_by")
    inspection = models.CharField("自动检查", max_length=10, choices=Inspection.choices,
                                  default=Inspection.PENDING)
    findings = models.JSONField("检查结果", default=list, blank=True)

    objects = MaterialFileQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "申报材料文件"
        ordering = ["material_key", "uploaded_at", "id"]
        indexes = [models.Index(fields=["application", "material_key", "superseded_at"])]

    def __str__(self):
        return self.original_name

    @property
    def material_title(self) -> str:
        """The guide's number and title of this file's material, as the applicant knows it."""
        for material in self.application.spec.materials:
            if material.key == self.material_key:
                return f"{material.number}{material.title}"
        return self.material_key
