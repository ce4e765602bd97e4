"""After review: disqualifier checks, duplicate findings, funding plans, notice, payment.

指南 五 办理程序: 专家评审——不予资助情形查询——拟资助方案征求意见——集体研究决策——
拟资助方案社会公示——预算管理及资金拨付.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from qualityfund.core.accounts.identity import Snapshot, account_of
from qualityfund.core.applications.models import Application
from qualityfund.core.common.text import LimitedTextField, NameField
from qualityfund.core.guides.models import Guide

# --- lists the checks read (admins import them) ------------------------------------------------


class ListKind(models.TextChoices):
    """The lists behind the situations of 指南 七（七） and 二, one per check kind."""

    DISHONESTY = "dishonesty_list", "严重失信主体名单"
    BANKRUPTCY = "bankruptcy", "破产清算程序名单（人民法院公告网）"
    INDUSTRY = "industry_list", "禁止发展类和限制发展类产业名单"
    GOVERNMENT = "government_investment", "政府投资建设项目名单"
    ENTITY_GONE = "entity_gone", "已注销（消亡）主体名单"


class ListImport(models.Model):
    """One imported file of a list; its rows are the entries a check compares with.

    Four eyes: one officer imports (pending), a second officer approves it (active); only
    then do the checks read it, and the list it replaces is superseded."""

    class Status(models.TextChoices):
        PENDING = "pending", "待复核"
        ACTIVE = "active", "生效中"
        REJECTED = "rejected", "复核未通过"
        SUPERSEDED = "superseded", "已被新版本替换"

    kind = models.CharField("名单", max_length=30, choices=ListKind.choices)
    source = models.CharField("名单来源", max_length=200, blank=True)
    original_name = models.CharField("文件名", max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64)
    rows = models.PositiveIntegerField("条数")
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="导入人",
                                    on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField("导入时间", auto_now_add=True)
    status = models.CharField("状态", max_length=20, choices=Status.choices,
                              default=Status.PENDING)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="复核人", null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField("复核时间", null=True, blank=True)
    review_note = models.TextField("复核意见", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "名单导入"
        ordering = ["-imported_at", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()}（{self.original_name}，{self.rows}条）"


class ListEntry(models.Model):
    kind = models.CharField("名单", max_length=30, choices=ListKind.choices)
    batch = models.ForeignKey(ListImport, on_delete=models.CASCADE, related_name="entries")
    credit_code = models.CharField("统一社会信用代码", max_length=18)
    name = NameField("名称", max_length=200)
    listed_on = models.DateField("列入日期")
    source = models.CharField("来源", max_length=200)

    class Meta:
        verbose_name = verbose_name_plural = "名单条目"
        indexes = [models.Index(fields=["kind", "credit_code"])]


# --- projects funded in earlier years and the similarity documents ---------------------------


class EarlierProject(models.Model):
    """往年已资助项目, imported (Excel/CSV) so that repeats and splits can be found."""

    year = models.PositiveSmallIntegerField("资助年度")
    credit_code = models.CharField("统一社会信用代码", max_length=18, db_index=True)
    org_name = NameField("单位名称", max_length=200)
    subprogramme = models.CharField("子项目", max_length=20, blank=True)
    project_name = NameField("项目名称", max_length=200)
    summary = LimitedTextField("项目简介", max_length=2000, blank=True)
    amount = models.PositiveBigIntegerField("资助金额（元）", null=True, blank=True)
    source = models.CharField("来源", max_length=200, blank=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="导入人",
                                    on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField("导入时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "往年已资助项目"
        ordering = ["-year", "org_name"]

    def __str__(self):
        return f"{self.year}年 {self.project_name}"


class SimilarityDocument(models.Model):
    """What is compared of one application or earlier project, with its MinHash signature.

    ``key`` is ``app-<pk>`` or ``earlier-<pk>``; the index is built from (key, signature)."""

    key = models.CharField(max_length=40, unique=True)
    application = models.OneToOneField(Application, null=True, blank=True,
                                       on_delete=models.CASCADE, related_name="+")
    earlier = models.OneToOneField(EarlierProject, null=True, blank=True,
                                   on_delete=models.CASCADE, related_name="+")
    org = models.CharField("统一社会信用代码", max_length=18)
    year = models.PositiveSmallIntegerField("年度")
    subprogramme = models.CharField(max_length=20, blank=True)
    title = models.CharField(max_length=200)
    text = models.TextField()
    signature = models.BinaryField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "查重文档"


# --- disqualifier checks ------------------------------------------------------------------------


class Decision(models.TextChoices):
    PENDING = "pending", "待确认"
    CONFIRMED = "confirmed", "确认属实，不予资助"
    DISMISSED = "dismissed", "经核实排除"


class DisqualifierCheck(models.Model):
    """One query of one situation for one application: source, time, who, what it found."""

    class Outcome(models.TextChoices):
        CLEAR = "clear", "未发现"
        HIT = "hit", "发现疑似情形"
        # A missing or stale list, or a source that failed: no answer, never "未发现".
        UNAVAILABLE = "unavailable", "未能查询（名单未导入/已过期）"
        # 七（七）1 and 8 have no list: an officer judges them, with a reason.
        JUDGEMENT = "judgement", "须经办人员判断"

    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                    related_name="disqualifier_checks")
    situation_id = models.CharField("情形编号", max_length=20)
    clause = models.CharField("指南条款", max_length=30)
    check_kind = models.CharField("检查", max_length=30)
    situation = models.CharField("情形", max_length=300)
    source = models.CharField("查询来源", max_length=300)
    ran_at = models.DateTimeField("查询时间")
    ran_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="查询人",
                               on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField("结果", max_length=20, choices=Outcome.choices)
    note = models.CharField("说明", max_length=300, blank=True)
    findings = models.JSONField("查询所得", default=list, blank=True)
    decision = models.CharField("确认", max_length=10, choices=Decision.choices, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = LimitedTextField("确认理由", max_length=1000, blank=True)
    superseded = models.BooleanField("已被重新查询取代", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "不予资助情形查询"
        ordering = ["application_id", "situation_id", "-ran_at"]
        indexes = [models.Index(fields=["application", "superseded"])]


class DuplicatePair(models.Model):
    """Two documents whose content overlaps (指南 二（五）, 七（七）5)."""

    class Kind(models.TextChoices):
        DUPLICATE = "duplicate", "多头/重复申报"
        SPLIT = "split", "分拆申报"
        SIMILAR = "similar", "不同单位内容雷同"

    check_record = models.ForeignKey(DisqualifierCheck, on_delete=models.CASCADE,
                                     related_name="pairs")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="+")
    other_key = models.CharField(max_length=40)
    other_application = models.ForeignKey(Application, null=True, blank=True,
                                          on_delete=models.CASCADE, related_name="+")
    other_earlier = models.ForeignKey(EarlierProject, null=True, blank=True,
                                      on_delete=models.CASCADE, related_name="+")
    other_title = models.CharField(max_length=200)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    similarity = models.DecimalField("相似度", max_digits=5, decimal_places=4)
    containment = models.DecimalField("包含度", max_digits=5, decimal_places=4)
    whole_key = models.CharField(max_length=40, blank=True)
    passages = models.JSONField("相同段落", default=list, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "查重疑似对"
        ordering = ["-containment", "id"]


# --- funding plans ------------------------------------------------------------------------------


class PlanState(models.TextChoices):
    DRAFT = "draft", "拟资助方案（草案）"
    CONSULTATION = "consultation", "征求意见中"
    DECIDED = "decided", "已集体研究决策"
    NOTICED = "noticed", "社会公示中"
    FINAL = "final", "资助计划已下达"


class FundingPlan(models.Model):
    """拟资助方案 of one sub-programme of one guide (year), or of one round (批次) of it.

    The first plan of a sub-programme covers its whole field, unless the officer split the
    year on purpose (``split``, with ``reason``): then later rounds follow, each numbered. A
    plan after a whole-field plan is a supplementary plan (追加方案, with ``reason``). Quotas,
    organisation limits and the budget hold across all plans of the year."""

    guide = models.ForeignKey(Guide, on_delete=models.PROTECT, related_name="funding_plans")
    subprogramme = models.CharField("子项目", max_length=20)
    number = models.PositiveSmallIntegerField("序号", default=1)
    round_name = models.CharField("批次", max_length=50, blank=True)
    split = models.BooleanField("分批次（留待后续批次）", default=False)
    supplementary = models.BooleanField("追加方案", default=False)
    reason = models.TextField("分批或追加理由", blank=True)
    state = models.CharField("状态", max_length=20, choices=PlanState.choices,
                             default=PlanState.DRAFT)
    budget = models.PositiveBigIntegerField("本年度预算（元）", null=True, blank=True)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    drafted_at = models.DateTimeField("拟定时间")
    meeting_date = models.DateField("会议日期", null=True, blank=True)
    minutes = models.FileField("会议纪要", upload_to="funding/minutes/%Y/", blank=True)
    minutes_name = models.CharField(max_length=255, blank=True)
    decision_text = LimitedTextField("决策意见", max_length=2000, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    notice_starts_at = models.DateTimeField("公示开始", null=True, blank=True)
    notice_ends_at = models.DateTimeField("公示截止", null=True, blank=True)
    noticed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    finalised_at = models.DateTimeField("下达时间", null=True, blank=True)
    finalised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "拟资助方案"
        ordering = ["guide", "subprogramme", "number"]
        constraints = [models.UniqueConstraint(fields=["guide", "subprogramme", "number"],
                                               name="one_plan_per_round")]

    def __str__(self):
        kind = "追加方案" if self.supplementary else "拟资助方案"
        suffix = f"（{self.round_name}）" if self.round_name else ""
        return f"{self.guide.year}年{self.spec.short_name}{kind}{suffix}"

    @property
    def spec(self):
        return self.guide.subprogramme(self.subprogramme)

    @property
    def locked(self) -> bool:
        """集体研究决策 locks the amounts."""
        return self.state not in (PlanState.DRAFT, PlanState.CONSULTATION)

    @property
    def progress(self) -> str:
        """The state as it stands now: a notice whose period ended waits for 下达; a
        consultation says how many departments answered (when the query counted them)."""
        if self.state == PlanState.NOTICED and self.notice_ends_at:
            if timezone.now() > self.notice_ends_at:
                return "公示期满，待下达"
            return f"社会公示中（至{timezone.localtime(self.notice_ends_at):%Y-%m-%d %H:%M}）"
        if self.state == PlanState.CONSULTATION and getattr(self, "asked", None):
            return f"征求意见中（{self.answered}/{self.asked}个部门已反馈）"
        if self.state == PlanState.DECIDED:
            return "已集体研究决策，待公示"
        return self.get_state_display()


class ItemStatus(models.TextChoices):
    FUNDED = "funded", "拟资助"
    NOT_FUNDED = "not_funded", "不予资助"
    TIE = "tie_at_cutoff", "并列待决策"


class PlanItem(models.Model):
    """One application in a plan: the engine's result, and the officer's change if any."""

    plan = models.ForeignKey(FundingPlan, on_delete=models.CASCADE, related_name="items")
    application = models.OneToOneField(Application, on_delete=models.PROTECT,
                                       related_name="plan_item")
    rank = models.PositiveIntegerField("排名", null=True, blank=True)
    score = models.DecimalField("得分", max_digits=6, decimal_places=2, null=True, blank=True)
    engine_status = models.CharField(max_length=20, choices=ItemStatus.choices)
    engine_amount = models.PositiveBigIntegerField("规则金额（元）")
    engine_reason = models.TextField("规则依据")
    status = models.CharField("结果", max_length=20, choices=ItemStatus.choices)
    amount = models.PositiveBigIntegerField("资助金额（元）")
    adjustment_reason = LimitedTextField("调整理由", max_length=500, blank=True)
    adjusted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    adjusted_at = models.DateTimeField(null=True, blank=True)
    # The organisation's identity taken at 集体研究决策 (core.accounts.identity): the notice,
    # the final plan and the payment name and pay what was decided.
    organisation_snapshot = models.JSONField("决策时快照", default=dict, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "拟资助项目"
        ordering = ["plan", models.F("rank").asc(nulls_last=True), "id"]

    @property
    def organisation_as_planned(self) -> Snapshot:
        """The snapshot taken at the decision; before it, the application's as submitted."""
        if self.organisation_snapshot:
            return Snapshot.stored(self.organisation_snapshot, self.application.organisation)
        return self.application.organisation_as_submitted

    @property
    def identity_changed(self) -> list[str]:
        """What of the organisation's identity differs now from what the plan shows."""
        return self.organisation_as_planned.differences(self.application.organisation)

    @property
    def account_changed(self) -> bool:
        return account_of(self.organisation_as_planned) != account_of(
            self.application.organisation)

    @property
    def reason(self) -> str:
        if self.adjustment_reason:
            return f"{self.engine_reason}；经调整：{self.adjustment_reason}"
        return self.engine_reason


class Consultation(models.Model):
    """征求意见: the draft sent to one named department, and its opinion."""

    plan = models.ForeignKey(FundingPlan, on_delete=models.CASCADE,
                             related_name="consultations")
    department = NameField("部门", max_length=100)
    sent_at = models.DateTimeField("发送时间")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="+")
    opinion = LimitedTextField("意见", max_length=2000, blank=True)
    opinion_at = models.DateTimeField("反馈时间", null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "征求意见"
        ordering = ["plan", "id"]


def objection_path(instance, filename: str) -> str:
    return f"funding/objections/{uuid.uuid4().hex}"


class Objection(models.Model):
    """异议 filed during the notice window, by a named person or an organisation."""

    class Filer(models.TextChoices):
        PERSON = "person", "个人"
        ORGANISATION = "organisation", "单位"

    plan = models.ForeignKey(FundingPlan, on_delete=models.PROTECT, related_name="objections")
    item = models.ForeignKey(PlanItem, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="objections")
    filer_kind = models.CharField("异议人类型", max_length=20, choices=Filer.choices)
    filer_name = NameField("姓名或单位名称", max_length=200)
    filer_id = models.CharField("身份证号或统一社会信用代码", max_length=18)
    phone = models.CharField("联系电话", max_length=30)
    content = LimitedTextField("异议内容", max_length=2000)
    sealed_scan = models.FileField("盖章扫描件", upload_to=objection_path, blank=True)
    sealed_scan_name = models.CharField(max_length=255, blank=True)
    filed_at = models.DateTimeField("提交时间")
    handling = LimitedTextField("处理情况", max_length=2000, blank=True)
    answer = LimitedTextField("答复", max_length=2000, blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "异议"
        ordering = ["-filed_at", "-id"]

    @property
    def answered(self) -> bool:
        return self.handled_at is not None


# --- payment ------------------------------------------------------------------------------------


class DisbursementBatch(models.Model):
    """资金拨付批次 (role finance)."""

    guide = models.ForeignKey(Guide, on_delete=models.PROTECT, related_name="+")
    title = NameField("批次名称", max_length=100)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "拨付批次"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.title


class Payment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "待拨付"
        PAID = "paid", "已拨付"
        FAILED = "failed", "拨付失败"

    batch = models.ForeignKey(DisbursementBatch, on_delete=models.PROTECT,
                              related_name="payments")
    item = models.ForeignKey(PlanItem, on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField("金额（元）", max_digits=14, decimal_places=2)
    status = models.CharField("状态", max_length=10, choices=Status.choices,
                              default=Status.PENDING)
    account_name = models.CharField("开户名", max_length=200)
    bank_name = models.CharField("开户银行", max_length=200, blank=True)
    account_number = models.CharField("银行账号", max_length=40, blank=True)
    reference = models.CharField("支付凭证号", max_length=60, blank=True)
    failure_reason = LimitedTextField("失败原因", max_length=500, blank=True)
    settled_at = models.DateTimeField(null=True, blank=True)
    settled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "拨付明细"
        ordering = ["batch", "id"]
