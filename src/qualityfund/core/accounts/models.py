"""Users with one role each (DESIGN.md "Who uses it"), the applying organisations, and what a
user signs in with besides a password: API tokens and enrolment codes for an authenticator."""

import rules
from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qualityfund.core.common.text import LimitedTextField, NameField
from qualityfund.domain.selfcheck import DISTRICTS


class Role(models.TextChoices):
    APPLICANT = "applicant", _("申报单位经办人")
    OFFICER = "officer", _("受理/初审人员")
    RECHECKER = "rechecker", _("复审人员")
    EXPERT = "expert", _("评审专家")
    DIRECTOR = "director", _("局领导（集体研究决策）")
    FINANCE = "finance", _("预算与资金拨付人员")
    AUDITOR = "auditor", _("纪检/审计（只读）")
    ADMIN = "admin", _("系统管理员")


class TrustLevel(models.IntegerChoices):
    """可信等级 of the 广东政务服务网 account; 指南 四（三）: "须达到五级（原L3级别）"."""

    L1 = 1, _("一级")
    L2 = 2, _("二级")
    L3 = 3, _("三级")
    L4 = 4, _("四级")
    L5 = 5, _("五级（原L3）")


class Organisation(models.Model):
    """申报单位. The credit code is stored normalised (18 characters, upper case)."""

    credit_code = models.CharField("统一社会信用代码", max_length=18, unique=True)
    name = NameField("单位名称", max_length=200)
    account_subject_name = NameField(
        "账户注册主体名称", max_length=200,
        help_text="指南七（五）：账户注册主体、资助申请主体以及银行开户名三者名称必须一致",
    )
    established_on = models.DateField("成立日期")
    legal_representative = NameField("法定代表人", max_length=50)
    district = models.CharField(
        "注册所在区", max_length=20, choices=[(d, d) for d in DISTRICTS]
    )
    industry = models.CharField("所属行业", max_length=100)
    address = models.CharField("地址", max_length=300)
    contact_name = NameField("联系人", max_length=50)
    contact_phone = models.CharField("联系电话", max_length=30)
    contact_email = models.EmailField("联系邮箱")
    bank_account_name = NameField("银行开户名", max_length=200)
    bank_name = NameField("开户银行", max_length=200, blank=True)
    bank_account_number = NameField("银行账号", max_length=40, blank=True)
    trust_level = models.PositiveSmallIntegerField(
        "账户可信等级", choices=TrustLevel.choices, default=TrustLevel.L5
    )
    created_at = models.DateTimeField("注册时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "申报单位"
        ordering = ["name"]

    def __str__(self):
        return f"{self.name}（{self.credit_code}）"


class IdentityChangeRequest(models.Model):
    """身份信息变更: once the organisation has submitted an application, its name, credit code,
    bank account, account subject and trust level change only when an officer approves.

    ``changes`` holds ``{field: {"from": old, "to": new}}`` as the applicant asked; the
    approved requests, oldest first, are the history of the organisation's values."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("已批准")
        REFUSED = "refused", _("不予批准")
        WITHDRAWN = "withdrawn", _("已撤回")

    organisation = models.ForeignKey(Organisation, verbose_name="申报单位",
                                     on_delete=models.PROTECT, related_name="identity_changes")
    changes = models.JSONField("变更内容")
    reason = LimitedTextField("变更原因", max_length=500, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices,
                              default=Status.PENDING, db_index=True)
    requested_by = models.ForeignKey("User", verbose_name="申请人", on_delete=models.PROTECT,
                                     related_name="+")
    requested_at = models.DateTimeField("申请时间")
    decided_by = models.ForeignKey("User", verbose_name="审核人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    decision_reason = LimitedTextField("审核意见", max_length=500, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "身份信息变更申请"
        ordering = ["-requested_at", "-id"]
        constraints = [models.UniqueConstraint(
            fields=["organisation"], condition=models.Q(status="pending"),
            name="one_pending_identity_change")]

    def __str__(self):
        return f"{self.organisation.name}身份信息变更（{self.get_status_display()}）"

    @property
    def rows(self) -> list[dict]:
        """Each changed field with its label, old and new value, as people read them."""
        from .queries import change_rows

        return change_rows(self)


class User(AbstractUser):
    role = models.CharField("角色", max_length=20, choices=Role.choices, default=Role.APPLICANT)
    organisation = models.ForeignKey(
        Organisation, verbose_name="所属申报单位", null=True, blank=True,
        on_delete=models.PROTECT, related_name="users",
    )
    phone = models.CharField("手机号码", max_length=30, blank=True)
    password_changed_at = models.DateTimeField("密码设置时间", default=timezone.now)
    password_must_change = models.BooleanField(
        "须修改密码", default=False,
        help_text="密码由他人签发（初始密码）：本人首次登录须先修改")

    class Meta:
        verbose_name = verbose_name_plural = "用户"

    def has_perm(self, perm, obj=None) -> bool:
        """The platform's permissions follow the role, superuser or not; Django's own model
        permissions (the admin site) keep Django's rules."""
        if rules.perm_exists(perm):
            return self.is_active and rules.has_perm(perm, self, obj)
        return super().has_perm(perm, obj)

    @property
    def is_applicant(self) -> bool:
        return self.role == Role.APPLICANT and self.organisation_id is not None

    @property
    def is_bureau_staff(self) -> bool:
        return self.role in {Role.OFFICER, Role.RECHECKER, Role.DIRECTOR, Role.FINANCE,
                             Role.AUDITOR, Role.ADMIN}

    def display(self) -> str:
        """Chinese order: family name first, no space."""
        return f"{self.last_name}{self.first_name}".strip() or self.username


class ApiToken(models.Model):
    """An API token. Only its SHA-256 is stored: the key is shown once, when it is issued.

    ``password_check`` is the user's session hash at issue (Django's HMAC of the password
    hash), so that a token, like a session, dies with any change of the password.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="用户",
                             on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField("令牌摘要", max_length=64, unique=True)
    prefix = models.CharField("令牌前缀", max_length=8)
    password_check = models.CharField(max_length=128)
    second_factor = models.BooleanField("经两步验证签发", default=False)
    created_at = models.DateTimeField("签发时间", auto_now_add=True)
    expires_at = models.DateTimeField("到期时间")
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    address = models.CharField("签发地址", max_length=45, blank=True)
    user_agent = models.CharField("客户端", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "API令牌"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.prefix}… ({self.user})"


class EnrolmentCode(models.Model):
    """绑定码: what a member of bureau staff types to enrol a first authenticator, issued by an
    administrator and shown once. Stored as a password hash; single use; expires."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="用户",
                             on_delete=models.CASCADE, related_name="enrolment_codes")
    code_hash = models.CharField(max_length=128)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="签发人", null=True,
                                  blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("签发时间", auto_now_add=True)
    expires_at = models.DateTimeField("到期时间")
    used_at = models.DateTimeField("使用时间", null=True, blank=True)
    failures = models.PositiveSmallIntegerField("输错次数", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "两步验证绑定码"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.user} {self.created_at:%Y-%m-%d %H:%M}"
