"""Formal review records: the decisions with their reasons, and supplementation requests.

The state itself lives on the application and moves only through
``core.applications.services.transition``; these rows say who decided what and why.
"""

from django.conf import settings
from django.db import models

from qualityfund.core.applications.models import Application
from qualityfund.core.common.text import LimitedTextField

from .reasons import REFUSAL_REASONS


class Decision(models.Model):
    """One decision of formal review, recheck or verification (受理、不予受理、复审、核查)."""

    class Kind(models.TextChoices):
        ACCEPT = "accept", "受理"
        REFUSE = "refuse", "不予受理"
        RECHECK = "recheck", "复审通过"
        VERIFY = "verify", "核查"

    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                    related_name="decisions")
    kind = models.CharField("决定", max_length=10, choices=Kind.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="经办人",
                           on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("时间", db_index=True)
    reason = models.CharField("理由", max_length=30, blank=True,
                              choices=[(r.code, r.label) for r in REFUSAL_REASONS])
    note = LimitedTextField("说明", max_length=1000, blank=True)
    recommended = models.BooleanField("核查结论：推荐", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "审查决定"
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["application", "kind"])]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.application_id}"


class SupplementationQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=Supplementation.Status.OPEN)


class Supplementation(models.Model):
    """补正要求: what to change, why, and by when (a deadline counted in working days).

    ``snapshot`` keeps the form data and current files as they were when the request was
    sent, so that the officer sees what the applicant changed.
    """

    class Status(models.TextChoices):
        OPEN = "open", "待补正"
        MET = "met", "已补正"
        LAPSED = "lapsed", "逾期未补正（视为放弃）"
        CLOSED = "closed", "已撤回申请"

    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                    related_name="supplementations")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="提出人",
                                     on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField("提出时间")
    workdays = models.PositiveSmallIntegerField("补正期限（工作日）")
    deadline = models.DateTimeField("补正截止时间", db_index=True)
    note = LimitedTextField("补正说明", max_length=1000, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices,
                              default=Status.OPEN, db_index=True)
    resolved_at = models.DateTimeField("办结时间", null=True, blank=True)
    snapshot = models.JSONField("提出时的申请数据", default=dict)
    changes = models.JSONField("补正后的变化", default=dict, blank=True)

    objects = SupplementationQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "补正要求"
        ordering = ["requested_at", "id"]

    def __str__(self):
        return f"补正 #{self.application_id}（截止 {self.deadline:%Y-%m-%d %H:%M}）"

    def keys(self) -> set[str]:
        """The item keys the applicant may change, e.g. ``material:pledge``."""
        return {item.key for item in self.items.all()}


class SupplementationItem(models.Model):
    """One thing to supplement: a material (``material:<key>``), a form field
    (``field:<name>``) or a declared figure (``figure:<key>``), with the reason."""

    supplementation = models.ForeignKey(Supplementation, on_delete=models.CASCADE,
                                        related_name="items")
    key = models.CharField("事项", max_length=60)
    label = models.CharField("事项名称", max_length=200)
    reason = LimitedTextField("原因", max_length=500)

    class Meta:
        verbose_name = verbose_name_plural = "补正事项"
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["supplementation", "key"],
                                               name="review_item_once_per_request")]

    def __str__(self):
        return self.label

    @property
    def kind(self) -> str:
        return self.key.split(":", 1)[0]

    @property
    def name(self) -> str:
        return self.key.split(":", 1)[1]
