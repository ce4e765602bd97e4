"""Changing one's own password: for every role, and first of all for whoever was given an
initial password (``web.middleware.AccountGate`` sends them here)."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from qualityfund.core.accounts import passwords
from qualityfund.core.common.errors import RuleViolation

from ..forms import PasswordChangeForm
from ..ratelimit import limit_posts


@login_required
@require_http_methods(["GET", "POST"])
@limit_posts("password")
def password_change(request):
    forced = passwords.change_required(request.user)
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            passwords.change_password(request.user, form.cleaned_data["old_password"],
                                      form.cleaned_data["new_password1"])
        except RuleViolation as exc:
            form.add_error(exc.field, exc.message)
        else:
            # This session stays; every other session and every API token has ended.
            update_session_auth_hash(request, request.user)
            messages.success(request, "密码已修改。您在其他设备上的登录和全部API令牌均已失效。")
            return redirect("web:home" if forced else "web:security")
    return render(request, "web/password_change.html", {"form": form, "forced": forced})
