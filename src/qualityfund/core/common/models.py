"""The audit trail: one record per state change or sensitive action, never edited.

Records are insert-only and carry the digest of their own content. A single sealer links them
into a hash chain afterwards (``AuditLink``, also insert-only), so that no writer ever waits
for the head of the chain; ``qualityfund.core.common.chain`` explains why.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditRecord(models.Model):
    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    action = models.CharField("操作", max_length=80, db_index=True)
    object_type = models.CharField("对象类型", max_length=80)
    object_id = models.CharField("对象编号", max_length=64)
    data = models.JSONField("详情", default=dict, blank=True)
    address = models.CharField("来源地址", max_length=45, blank=True)
    user_agent = models.CharField("浏览器标识", max_length=255, blank=True)
    algorithm = models.CharField("摘要算法", max_length=10)
    digest = models.CharField("内容摘要", max_length=64)

    class Meta:
        verbose_name = verbose_name_plural = "审计记录"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.action} {self.object_type}#{self.object_id}"


class AuditLink(models.Model):
    """One ring of the chain: record ``record`` is the ``seq``-th, after the ring whose hash
    is ``prev``."""

    seq = models.BigIntegerField("序号", primary_key=True)
    record = models.OneToOneField(AuditRecord, verbose_name="审计记录",
                                  on_delete=models.PROTECT, related_name="link")
    algorithm = models.CharField("摘要算法", max_length=10)
    prev = models.CharField("前一环哈希", max_length=64)
    hash = models.CharField("本环哈希", max_length=64)
    sealed_at = models.DateTimeField("封存时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "审计链"
        ordering = ["seq"]


class AuditAnchor(models.Model):
    """Where the chain starts after an archival: the last ring of the archived file."""

    seq = models.BigIntegerField("归档至序号", unique=True)
    hash = models.CharField("归档末环哈希", max_length=64)
    before = models.DateField("归档截止日期")
    count = models.PositiveIntegerField("归档记录数")
    file_name = models.CharField("归档文件", max_length=255)
    file_digest = models.CharField("归档文件摘要（SHA-256）", max_length=64)
    made_at = models.DateTimeField("归档时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "审计归档锚点"
        ordering = ["-seq"]


class AuditVerification(models.Model):
    """One check of the whole chain; the auditor's page shows the latest instead of
    re-hashing every record on every view."""

    requested_at = models.DateTimeField("申请时间", default=timezone.now)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="申请人",
                                     null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    ok = models.BooleanField("通过", null=True)
    checked = models.PositiveBigIntegerField("已核验记录数", default=0)
    head_seq = models.BigIntegerField("链头序号", null=True, blank=True)
    head_hash = models.CharField("链头哈希", max_length=64, blank=True)
    broken_seq = models.BigIntegerField("断裂处序号", null=True, blank=True)
    broken_record = models.BigIntegerField("断裂处审计记录", null=True, blank=True)
    problem = models.TextField("问题", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "审计链核验"
        ordering = ["-requested_at", "-id"]
