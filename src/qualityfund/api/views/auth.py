"""``POST /api/v1/auth/token/``: a token for a username and password, through django-axes;
``POST /api/v1/auth/logout/``: the token used ends.

``authenticate(request=...)`` runs the axes backend first, so failures count towards the
lock-out exactly as on the log-in page (5 failures lock the username and address pair).
The API is no way around two-factor log-in: a user with an authenticator gives its code too,
and with ``STAFF_REQUIRE_2FA`` bureau staff without one get no token. Nor around an initial
password: its owner changes it on the web first. Tokens expire (``core.accounts.tokens``).
"""

from django.conf import settings
from django.contrib.auth import authenticate, logout
from django.contrib.auth.signals import user_logged_in
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from qualityfund.core.accounts import passwords, tokens, two_factor
from qualityfund.core.accounts.models import ApiToken
from qualityfund.core.common.net import client_address

from ..serializers.common import ErrorSerializer, LabelledErrors


class TokenRequestSerializer(LabelledErrors, serializers.Serializer):
    """The user's log-in name and password."""

    username = serializers.CharField(label="登录名")
    password = serializers.CharField(label="密码", style={"input_type": "password"},
                                     trim_whitespace=False, write_only=True)
    otp_token = serializers.CharField(
        label="动态码", required=False, allow_blank=True, default="",
        help_text="已启用两步验证的账号：身份验证器中的6位动态码")


class TokenSerializer(serializers.Serializer):
    """An API token of the user, shown only in this answer."""

    token = serializers.CharField(help_text="以 “Authorization: Token <token>” 使用")
    expires_at = serializers.DateTimeField(help_text="到期时间，此后须重新获取")
    second_factor = serializers.BooleanField(help_text="是否经两步验证签发")


def locked_message() -> str:
    minutes = round(settings.AXES_COOLOFF_TIME * 60)
    return (f"登录失败次数过多（同一账号连续{settings.AXES_FAILURE_LIMIT}次，或同一地址"
            f"{settings.AXES_ADDRESS_FAILURE_LIMIT}次），已锁定{minutes}分钟，请稍后再试")


def two_factor_refusal(user, code: str, enrolled: bool) -> Response | None:
    """Why a password alone is not enough for ``user``, or None when it is (or, for an
    ``enrolled`` user, when ``code`` is the authenticator's)."""
    if enrolled:
        if not code.strip():
            return Response({"detail": "该账号已启用两步验证：请同时填写身份验证器中的6位动态码",
                             "field": "otp_token"}, status=status.HTTP_400_BAD_REQUEST)
        if two_factor.verify(user, code) is None:
            return Response({"detail": "动态码不正确或已过期，请重新输入身份验证器中的6位动态码", "field": "otp_token"},
                            status=status.HTTP_400_BAD_REQUEST)
        return None
    if two_factor.required_for(user):
        return Response({"detail": "局内人员须先在平台网页上启用两步验证，方可获取API令牌",
                         "field": None}, status=status.HTTP_403_FORBIDDEN)
    return None


class TokenView(APIView):
    authentication_classes = ()
    permission_classes = (AllowAny,)

    @extend_schema(
        tags=["auth"], summary="用登录名和密码换取令牌", auth=[],
        request=TokenRequestSerializer,
        responses={200: TokenSerializer, 400: ErrorSerializer, 403: ErrorSerializer,
                   429: ErrorSerializer},
    )
    def post(self, request):
        given = TokenRequestSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        # The DRF request carries axes' flags, so the lock-out is answered here, as JSON,
        # rather than by the middleware's HTML page.
        user = authenticate(request=request, username=given.validated_data["username"],
                            password=given.validated_data["password"])
        if getattr(request, "axes_locked_out", False):
            return Response({"detail": locked_message(), "field": None},
                            status=status.HTTP_429_TOO_MANY_REQUESTS,
                            headers={"Retry-After": str(round(settings.AXES_COOLOFF_TIME * 3600))})
        if user is None:
            return Response({"detail": "登录名或密码不正确", "field": None},
                            status=status.HTTP_400_BAD_REQUEST)
        enrolled = two_factor.has_two_factor(user)
        refusal = two_factor_refusal(user, given.validated_data["otp_token"], enrolled)
        if refusal is not None:
            return refusal
        change = passwords.change_required(user)
        if change:
            return Response({"detail": f"{change}（请登录网页修改）", "field": None},
                            status=status.HTTP_403_FORBIDDEN)
        # A successful log-in: resets the failure count (AXES_RESET_ON_SUCCESS), last_login.
        user_logged_in.send(sender=type(user), request=request, user=user)
        token, key = tokens.issue(user, second_factor=enrolled,
                                  address=client_address(request),
                                  user_agent=request.headers.get("User-Agent", ""))
        return Response({"token": key, "expires_at": token.expires_at,
                         "second_factor": token.second_factor})


class LogoutView(APIView):
    """The token of this request stops working at once. A request with the web session logs
    out as the page does: the session ends, and every token with it."""

    permission_classes = (IsAuthenticated,)

    @extend_schema(tags=["auth"], summary="退出：作废本次请求所用的令牌", request=None,
                   responses={204: None, 401: ErrorSerializer})
    def post(self, request):
        if isinstance(request.auth, ApiToken):
            tokens.revoke(request.auth, by=request.user)
        else:
            tokens.revoke_all(request.user, reason="logout")
            logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)
