"""The Django admin for users and organisations.

A password the administrator sets for someone (a new account, or a reset) is an initial
password: set through ``passwords.issue_password``, audited, changed at first log-in. Enrolment
codes and resetting a lost authenticator are actions on the user list; authenticators are
not edited directly (django-otp's own admin would bypass the enrolment code and the audit).
"""

from contextvars import ContextVar

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django_otp.plugins.otp_totp.models import TOTPDevice

from qualityfund.core.common.errors import RuleViolation

from . import passwords, two_factor
from .identity import IDENTITY_FIELDS, is_frozen
from .models import IdentityChangeRequest, Organisation, User

# The administrator on whose request the password form is saved (the form has no request).
_administrator: ContextVar = ContextVar("administrator")


class IssuedPasswordChangeForm(AdminPasswordChangeForm):
    def save(self, commit=True):
        if not self.cleaned_data["set_usable_password"]:
            return super().save(commit=commit)
        passwords.issue_password(self.user, by=_administrator.get(),
                                 password=self.cleaned_data["password1"])
        return self.user


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "last_name", "first_name", "role", "organisation", "is_active",
                    "password_must_change"]
    list_filter = ["role", "is_active"]
    list_select_related = ["organisation"]
    search_fields = ["username", "last_name", "first_name", "organisation__name"]
    fieldsets = [*BaseUserAdmin.fieldsets, ("角色", {"fields": ["role", "organisation", "phone"]}),
                 ("密码状态", {"fields": ["password_changed_at", "password_must_change"]})]
    readonly_fields = ["password_changed_at", "password_must_change"]
    add_fieldsets = [*BaseUserAdmin.add_fieldsets,
                     ("角色", {"fields": ["role", "organisation"]})]
    change_password_form = IssuedPasswordChangeForm
    actions = ["issue_enrolment_codes", "reset_two_factor"]

    def save_model(self, request, obj, form, change):
        if change or not form.cleaned_data.get("password1"):
            return super().save_model(request, obj, form, change)
        passwords.issue_password(obj, by=request.user, password=form.cleaned_data["password1"])

    def user_change_password(self, request, id, form_url=""):
        bound = _administrator.set(request.user)
        try:
            return super().user_change_password(request, id, form_url)
        finally:
            _administrator.reset(bound)

    @admin.action(description="签发两步验证绑定码（只显示一次）")
    def issue_enrolment_codes(self, request, queryset):
        issued, refused = [], []
        for user in queryset.order_by("username"):
            try:
                issued.append((user, two_factor.issue_enrolment_code(user, by=request.user)))
            except (RuleViolation, PermissionDenied) as exc:
                refused.append((user, getattr(exc, "message", None) or "无权为本人签发绑定码"))
        return TemplateResponse(request, "admin/accounts/enrolment_codes.html", {
            **self.admin_site.each_context(request), "title": "两步验证绑定码",
            "issued": issued, "refused": refused, "opts": self.model._meta,
            "hours": settings.ENROLMENT_CODE_HOURS,
        })

    @admin.action(description="重置两步验证（删除已绑定的身份验证器）")
    def reset_two_factor(self, request, queryset):
        for user in queryset:
            two_factor.reset(user, by=request.user)
        messages.success(request, f"已重置 {queryset.count()} 个账号的两步验证；"
                                  "局内人员须凭新签发的绑定码重新绑定。")


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "credit_code", "district", "trust_level", "created_at"]
    list_filter = ["district", "trust_level"]
    search_fields = ["name", "credit_code"]

    def get_readonly_fields(self, request, obj=None):
        """Once it has applied, its identity changes through an identity change request
        (decided by an officer, on record), not here."""
        if obj is not None and is_frozen(obj):
            return IDENTITY_FIELDS
        return ()


@admin.register(IdentityChangeRequest)
class IdentityChangeRequestAdmin(admin.ModelAdmin):
    """Read only: requests are made and decided through the service functions."""

    list_display = ["organisation", "status", "requested_at", "decided_at"]
    list_filter = ["status"]
    list_select_related = ["organisation"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)
