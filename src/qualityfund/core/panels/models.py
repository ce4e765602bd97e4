"""The expert pool (专家库), panels (专家组) with their recorded draws, conflicts, score sheets.

指南 三（二）5 etc.: "成立5人以上单数的专家组 … 综合评审". A panel's draw is stored whole —
the seed's hash recorded before the draw and the seed after it, the pool as it was, who was
set aside and why, the result, every replacement, vacancy filled or seat closed — so that an
auditor can replay it (``replay.replay``).
"""

from functools import cached_property

from django.conf import settings
from django.db import models

from qualityfund.core.applications.models import Application
from qualityfund.core.common.text import LimitedTextField, NameField
from qualityfund.core.guides.models import Guide
from qualityfund.domain.scoring import SheetSpec, sheet_spec

from .queries import ConflictQuerySet, PanelQuerySet, ScoreSheetQuerySet

# Fields of expertise (专业领域) of the pool; a panel asks for one or more of them.
EXPERTISE = (
    "质量管理", "卓越绩效", "标准化", "计量", "检验检测", "认证认可", "品牌建设",
    "知识产权", "数字化转型", "质量技术攻关", "财务管理", "粤港澳合作",
)
# The fields a new panel of each sub-programme asks for, after the templates' dimensions.
DEFAULT_EXPERTISE = {
    "qi-service": ["质量管理", "计量", "标准化", "检验检测", "认证认可"],
    "gba": ["粤港澳合作", "标准化", "认证认可", "检验检测"],
    "brand": ["品牌建设", "质量管理"],
    "innovation": ["质量技术攻关", "质量管理", "知识产权"],
    "digital": ["数字化转型", "质量管理"],
    "incubation": ["卓越绩效", "质量管理"],
}


class Expert(models.Model):
    """One expert of the pool, with a login of role ``expert``."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name="登录账号",
                                on_delete=models.PROTECT, related_name="expert")
    name = NameField("姓名", max_length=50)
    title = models.CharField("职称", max_length=50, blank=True)
    phone = models.CharField("手机号码", max_length=30, blank=True)
    email = models.EmailField("邮箱", blank=True)
    employer_name = NameField("工作单位", max_length=200)
    employer_code = models.CharField("工作单位统一社会信用代码", max_length=18, db_index=True)
    expertise = models.JSONField("专业领域", default=list)
    # Declared relations (关联关系): [{"code": credit code, "name": organisation, "note": …}]
    relations = models.JSONField("申报的关联单位", default=list, blank=True)
    available = models.BooleanField("可参加本年度评审", default=True)
    created_at = models.DateTimeField("入库时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "评审专家"
        ordering = ["name", "id"]

    def __str__(self):
        return self.name

    @property
    def relation_codes(self) -> list[str]:
        return [r["code"] for r in self.relations]


class Panel(models.Model):
    """专家组 of one sub-programme (or one batch of it)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "待抽取"
        DRAWN = "drawn", "评审中"
        FINALISED = "finalised", "已定稿"

    guide = models.ForeignKey(Guide, verbose_name="申报指南", on_delete=models.PROTECT,
                              related_name="panels")
    subprogramme = models.CharField("子项目", max_length=20, db_index=True)
    name = NameField("专家组名称", max_length=200)
    size = models.PositiveSmallIntegerField("专家组人数")
    expertise = models.JSONField("所需专业领域", default=list)
    status = models.CharField("状态", max_length=10, choices=Status.choices,
                              default=Status.DRAFT)
    applications = models.ManyToManyField(Application, through="PanelApplication",
                                          related_name="panels", verbose_name="评审项目")
    class Basis(models.TextChoices):
        RUBRIC = "rubric", "指南所列评审标准"
        DIMENSIONS = "dimensions", "报告模板评价维度"

    seed = models.CharField("抽取种子", max_length=100, blank=True)
    seed_hash = models.CharField("抽取前记录的种子摘要", max_length=128, blank=True)
    seed_algorithm = models.CharField("摘要算法", max_length=10, blank=True)
    scoring_deadline = models.DateTimeField("评分截止时间", null=True, blank=True)
    # Panels drawn before the rubric scored the template's dimensions; they keep doing so.
    scoring_basis = models.CharField("评分依据", max_length=10, choices=Basis.choices,
                                     default=Basis.RUBRIC)
    pool_snapshot = models.JSONField("抽取时的专家库", default=list, blank=True)
    applicant_codes = models.JSONField("申报单位统一社会信用代码", default=list, blank=True)
    declared_before = models.JSONField("抽取前已申报回避的专家", default=list, blank=True)
    excluded = models.JSONField("未入选及原因", default=dict, blank=True)
    drawn_members = models.JSONField("抽取结果（按抽取顺序）", default=list, blank=True)
    replacements = models.JSONField("替换抽取记录", default=list, blank=True)
    drawn_at = models.DateTimeField("抽取时间", null=True, blank=True)
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="抽取人", null=True,
                                 blank=True, on_delete=models.PROTECT, related_name="+")
    chair = models.ForeignKey(Expert, verbose_name="组长", null=True, blank=True,
                              on_delete=models.PROTECT, related_name="chaired_panels")
    finalised_at = models.DateTimeField("定稿时间", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="创建人",
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = PanelQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "专家组"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.name

    @property
    def spec(self):
        return self.guide.subprogramme(self.subprogramme)

    @cached_property
    def sheet_spec(self) -> SheetSpec:
        """The score sheet this panel's experts fill in."""
        return sheet_spec(self.guide.spec, self.subprogramme, basis=self.scoring_basis)

    @property
    def closed_seats(self) -> set[int]:
        """Seats the officer decided to leave empty, finalising with fewer experts."""
        return {seat for step in self.replacements if step.get("kind") == "close"
                for seat in step["seats"]}

    @property
    def vacant_seats(self) -> list[int]:
        """Seats emptied by a conflict with nobody to replace them, not yet filled or closed."""
        closed = self.closed_seats
        return [seat for seat, member in enumerate(self.drawn_members, start=1)
                if member is None and seat not in closed]

    @property
    def members_left(self) -> int:
        return self.size - len(self.vacant_seats)

    @property
    def may_close_vacancies(self) -> bool:
        """Whether the members left may finalise alone: "成立5人以上单数的专家组"."""
        left = self.members_left
        return (bool(self.vacant_seats) and left % 2 == 1
                and left >= self.spec.review.min_panel_size)


class PanelApplication(models.Model):
    """An application reviewed by a panel; each application by one panel only."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="entries")
    application = models.OneToOneField(Application, on_delete=models.PROTECT,
                                       related_name="panel_entry")
    # Written when the chair finalises: the panel's figures for this application.
    result = models.JSONField("评审结果", default=dict, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "评审项目"
        ordering = ["application__number", "application_id"]


class PanelMember(models.Model):
    """A seat on a panel. A member who declares a conflict is replaced, the seat kept on record.

    ``cleared_at``: the member's 回避承诺 — no conflict with any application left to review —
    after which they may score.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", "在组"
        REPLACED = "replaced", "已回避替换"

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="members")
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="memberships")
    seat = models.PositiveSmallIntegerField("席位")
    status = models.CharField("状态", max_length=10, choices=Status.choices,
                              default=Status.ACTIVE)
    notified_at = models.DateTimeField("通知时间", null=True, blank=True)
    cleared_at = models.DateTimeField("回避承诺时间", null=True, blank=True)
    replaced_at = models.DateTimeField("替换时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "专家组成员"
        ordering = ["seat", "id"]
        constraints = [models.UniqueConstraint(fields=["panel", "expert"],
                                               name="panel_member_once")]


class Conflict(models.Model):
    """回避: an expert may not review an application, and sees nothing of it."""

    class Source(models.TextChoices):
        DECLARED = "declared", "专家申报回避"
        EMPLOYER = "employer", "同一工作单位"
        RELATION = "relation", "申报的关联关系"

    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="conflicts")
    application = models.ForeignKey(Application, on_delete=models.PROTECT,
                                    related_name="expert_conflicts")
    source = models.CharField("来源", max_length=10, choices=Source.choices)
    reason = LimitedTextField("回避事由", max_length=500)
    declared_at = models.DateTimeField("记录时间", auto_now_add=True)

    objects = ConflictQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "回避记录"
        constraints = [models.UniqueConstraint(fields=["expert", "application"],
                                               name="conflict_once")]


class ScoreSheet(models.Model):
    """One expert's score sheet on one application (评分表), autosaved until confirmed."""

    class Status(models.TextChoices):
        DRAFT = "draft", "填写中"
        CONFIRMED = "confirmed", "已确认"
        VOID = "void", "已作废（回避）"

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="sheets")
    member = models.ForeignKey(PanelMember, on_delete=models.CASCADE, related_name="sheets")
    application = models.ForeignKey(Application, on_delete=models.PROTECT,
                                    related_name="score_sheets")
    scores = models.JSONField("评分", default=dict, blank=True)
    comments = models.JSONField("评审意见", default=dict, blank=True)
    recommendation = models.BooleanField("推荐意见", null=True, blank=True)
    tier = models.PositiveSmallIntegerField("推荐等次", null=True, blank=True)
    amount = models.PositiveBigIntegerField("建议资助金额（元）", null=True, blank=True)
    site_visit = LimitedTextField("现场核查意见", max_length=2000, blank=True)
    total = models.DecimalField("总分", max_digits=6, decimal_places=2, null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices,
                              default=Status.DRAFT)
    saved_at = models.DateTimeField("最后保存", null=True, blank=True)
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    reopened = models.PositiveSmallIntegerField("经组长退回次数", default=0)

    objects = ScoreSheetQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "评分表"
        ordering = ["application_id", "member__seat"]
        constraints = [models.UniqueConstraint(fields=["member", "application"],
                                               name="sheet_once")]
