"""The account page (账号安全): the password, two-factor log-in (the second step of log-in, and
enrolling an authenticator app) and the user's API tokens."""

from io import BytesIO

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from qualityfund.core.accounts import tokens, two_factor
from qualityfund.core.accounts.models import ApiToken
from qualityfund.core.common.errors import RuleViolation

PENDING_USER = "qualityfund_2fa_user"
PENDING_NEXT = "qualityfund_2fa_next"
# The device this session is enrolling (its secret is shown to this session only).
ENROLLING = "qualityfund_2fa_enrolling"


def login_otp(request):
    """Second step: the password was right; now the authenticator's code."""
    user_id = request.session.get(PENDING_USER)
    if user_id is None:
        return redirect("web:login")
    user = get_user_model().objects.get(pk=user_id)
    error = None
    if request.method == "POST":
        device = two_factor.verify(user, request.POST.get("otp_token", ""))
        if device is not None:
            next_url = request.session.pop(PENDING_NEXT, "")
            request.session.pop(PENDING_USER, None)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            otp_login(request, device)
            if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
                next_url = settings.LOGIN_REDIRECT_URL
            return redirect(next_url or settings.LOGIN_REDIRECT_URL)
        error = "动态验证码不正确或已过期，请重新输入身份验证器上的6位数字"
    return render(request, "web/login_otp.html", {"error": error}, status=400 if error else 200)


def _qr_svg(url: str) -> str:
    buffer = BytesIO()
    qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8).save(buffer)
    return buffer.getvalue().decode()


@login_required
def security(request):
    user = request.user
    device = two_factor.pending_device(user, request.session.get(ENROLLING))
    return render(request, "web/security.html", {
        "enabled": two_factor.has_two_factor(user),
        "device": device,
        "qr": _qr_svg(device.config_url) if device else None,
        "required": two_factor.required_for(user),
        "needs_code": two_factor.needs_enrolment_code(user, verified=user.is_verified()),
        "code_hours": settings.ENROLMENT_CODE_HOURS,
        "tokens": tokens.active(user),
    })


@login_required
@require_POST
def security_start(request):
    try:
        device = two_factor.start_enrolment(
            request.user, code=request.POST.get("enrolment_code", ""),
            verified=request.user.is_verified())
    except RuleViolation as exc:
        messages.error(request, exc.message)
    else:
        request.session[ENROLLING] = device.pk
    return redirect("web:security")


@login_required
@require_POST
def security_confirm(request):
    device = two_factor.confirm_enrolment(request.user, request.POST.get("otp_token", ""),
                                          request.session.get(ENROLLING))
    if device is not None:
        otp_login(request, device)
        messages.success(request, "已启用两步验证：今后登录需输入身份验证器上的动态验证码")
    else:
        messages.error(request, "动态验证码不正确，请核对身份验证器上的6位数字后重试")
    return redirect("web:security")


@login_required
@require_POST
def security_disable(request):
    try:
        two_factor.disable(request.user)
    except RuleViolation as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已关闭两步验证")
    return redirect("web:security")


@login_required
@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    tokens.revoke(token, by=request.user)
    messages.success(request, f"令牌 {token.prefix}… 已撤销")
    return redirect("web:security")
