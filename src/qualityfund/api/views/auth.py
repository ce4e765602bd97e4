"""``POST /api/v1/auth/token/``: a token for a username and password, through django-axes.

``authenticate(request=...)`` runs the axes backend first, so failures count towards the
lock-out exactly as on the log-in page (5 failures lock the username and address pair).
The API is no way around two-factor log-in: a user with an authenticator gives its code too,
and with ``STAFF_REQUIRE_2FA`` bureau staff without one get no token.
"""

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from qualityfund.core.accounts import two_factor

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
    """An API token of the user."""

    token = serializers.CharField(help_text="以 “Authorization: Token <token>” 使用")


def locked_message() -> str:
    minutes = round(settings.AXES_COOLOFF_TIME * 60)
    return (f"登录失败次数过多（同一账号连续{settings.AXES_FAILURE_LIMIT}次，或同一地址"
            f"{settings.AXES_ADDRESS_FAILURE_LIMIT}次），已锁定{minutes}分钟，请稍后再试")


def two_factor_refusal(user, code: str) -> Response | None:
    """Why a password alone is not enough for ``user``, or None when it is."""
    if two_factor.has_two_factor(user):
        if not code.strip():
            return Response({"detail": "该账号已启用两步验证：请同时填写身份验证器中的6位动态码",
                             "field": "otp_token"}, status=status.HTTP_400_BAD_REQUEST)
        if two_factor.verify(user, code) is None:
            return Response({"detail": "动态码不正确或已过期，请重新输入身份验证器中的6位动态码", "field": "otp_token"},
                            status=status.HTTP_400_BAD_REQUEST)
        return None
    if settings.STAFF_REQUIRE_2FA and user.is_bureau_staff:
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
        refusal = two_factor_refusal(user, given.validated_data["otp_token"])
        if refusal is not None:
            return refusal
        # A successful log-in: resets the failure count (AXES_RESET_ON_SUCCESS), last_login.
        user_logged_in.send(sender=type(user), request=request, user=user)
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})
