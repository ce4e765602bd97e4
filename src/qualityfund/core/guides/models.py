"""A loaded guide: its validated data, and the window the bureau may move."""

from functools import cached_property

from django.db import models
from django.utils import timezone

from qualityfund.domain.guide import Guide as GuideSpec

_VALIDATED: dict[tuple[int, str], GuideSpec] = {}


class GuideQuerySet(models.QuerySet):
    def open_at(self, at=None):
        at = at or timezone.now()
        return self.filter(opens_at__lte=at, closes_at__gte=at)


class Guide(models.Model):
    """申报指南. ``data`` is the guide file as validated by the domain schema.

    ``opens_at``/``closes_at`` start as the file's window; admins may move them (audited).
    A demo copy (``is_demo``) is a clearly labelled copy whose window is open now.
    """

    slug = models.SlugField("标识", max_length=40, unique=True)
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("标题", max_length=200)
    is_demo = models.BooleanField("演示副本", default=False)
    data = models.JSONField("指南数据")
    source_sha256 = models.CharField("来源文件SHA-256", max_length=64)
    opens_at = models.DateTimeField("申报开始时间")
    closes_at = models.DateTimeField("申报截止时间")
    loaded_at = models.DateTimeField("加载时间", auto_now_add=True)

    objects = GuideQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "申报指南"
        ordering = ["-year", "is_demo", "slug"]

    def __str__(self):
        return f"{self.title}（演示副本）" if self.is_demo else self.title

    @cached_property
    def spec(self) -> GuideSpec:
        """The typed guide, with the window as currently set on this record.

        Validating the file's data takes about a millisecond and every application row
        carries its guide: the validated guide is kept per process, keyed by the record and
        the file's hash (a reload changes the hash)."""
        key = (self.pk, self.source_sha256)
        spec = _VALIDATED.get(key)
        if spec is None:
            spec = _VALIDATED[key] = GuideSpec.model_validate(self.data)
        window = spec.window.model_copy(update={"opens_at": self.opens_at,
                                                "closes_at": self.closes_at})
        return spec.model_copy(update={"window": window})

    def is_open(self, at=None) -> bool:
        """指南 四（一）: 超过申报时间提交的不予受理 — exact instants, server clock."""
        at = at or timezone.now()
        return self.opens_at <= at <= self.closes_at

    def subprogramme(self, key: str):
        return self.spec.subprogramme(key)
