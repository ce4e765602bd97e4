"""Two-factor log-in: the second step of log-in, and enrolling an authenticator app."""

from io import BytesIO

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from qualityfund.core.accounts import two_factor

PENDING_USER = "qualityfund_2fa_user"
PENDING_NEXT = "qualityfund_2fa_next"


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
    device = two_factor.pending_device(request.user)
    return render(request, "web/security.html", {
        "enabled": two_factor.has_two_factor(request.user),
        "device": device,
        "qr": _qr_svg(device.config_url) if device else None,
        "required": settings.STAFF_REQUIRE_2FA and request.user.is_bureau_staff,
    })


@login_required
@require_POST
def security_start(request):
    two_factor.start_enrolment(request.user)
    return redirect("web:security")


@login_required
@require_POST
def security_confirm(request):
    device = two_factor.confirm_enrolment(request.user, request.POST.get("otp_token", ""))
    if device is not None:
        otp_login(request, device)
        messages.success(request, "已启用两步验证：今后登录需输入身份验证器上的动态验证码")
    else:
        messages.error(request, "动态验证码不正确，请核对身份验证器上的6位数字后重试")
    return redirect("web:security")


@login_required
@require_POST
def security_disable(request):
    if settings.STAFF_REQUIRE_2FA and request.user.is_bureau_staff:
        messages.error(request, "本平台要求局内人员启用两步验证，不能关闭")
    else:
        two_factor.disable(request.user)
        messages.success(request, "已关闭两步验证")
    return redirect("web:security")
