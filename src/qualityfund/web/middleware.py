"""Middleware of the pages."""

import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.utils import translation

from qualityfund.core.accounts import passwords, two_factor


class PermissionsPolicy:
    """Every response says which browser features the pages may use (``PERMISSIONS_POLICY``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


API = "/api/"
# The session's clock: when the user logged in, and when they were last seen.
STARTED, SEEN = "qualityfund_started", "qualityfund_seen"
SEEN_GRANULARITY = 60  # seconds; the session is not written on every request


def mark_login(sender, request, user, **kwargs):
    """``user_logged_in``: a log-in on the pages starts the session's clock (an API token
    request has no session of its own)."""
    if isinstance(request, HttpRequest) and hasattr(request, "session"):
        request.session[STARTED] = request.session[SEEN] = time.time()


def _refuse(request, message: str, status: int, then):
    """JSON under /api/, otherwise a message and a redirect (``then()``)."""
    if request.path.startswith(API):
        return JsonResponse({"detail": message, "field": None}, status=status)
    messages.warning(request, message)
    return then()


class SessionLimits:
    """A signed-in session ends after ``SESSION_IDLE_MINUTES_STAFF`` (bureau staff) or
    ``SESSION_IDLE_MINUTES`` (everyone else) without a request, and in any case
    ``SESSION_ABSOLUTE_HOURS`` after log-in (等保2.0: "登录连接超时自动退出")."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.user.is_authenticated:
            return self.get_response(request)
        session, now = request.session, time.time()
        started = session.setdefault(STARTED, now)
        seen = session.get(SEEN, now)
        idle = (settings.SESSION_IDLE_MINUTES_STAFF if request.user.is_bureau_staff
                else settings.SESSION_IDLE_MINUTES)
        if now - seen > idle * 60:
            reason = f"您已超过{idle}分钟未操作，为保护账号安全已自动退出，请重新登录"
        elif now - started > settings.SESSION_ABSOLUTE_HOURS * 3600:
            reason = (f"本次登录已超过{settings.SESSION_ABSOLUTE_HOURS:g}小时，"
                      "为保护账号安全已自动退出，请重新登录")
        else:
            if now - seen >= SEEN_GRANULARITY or SEEN not in session:
                session[SEEN] = now
            return self.get_response(request)
        logout(request)
        return _refuse(request, reason, 401, lambda: redirect_to_login(request.get_full_path()))


@dataclass(frozen=True)
class Step:
    """Something a signed-in user must do first: the page where it is done, and the paths
    that stay open meanwhile."""

    message: str
    url_name: str
    open: tuple[str, ...]


class AccountGate:
    """What a signed-in user must do before anything else, in this order: bureau staff on a
    two-factor server verify with an authenticator (enrolling one first); a user whose
    password someone else chose, or whose password expired, changes it. Until then every page
    leads there and the API answers 403; log-out stays open."""

    ALWAYS_OPEN = ("/logout/", "/api/v1/auth/logout/", "/static/", "/healthz", "/i18n/")

    def __init__(self, get_response):
        self.get_response = get_response

    @staticmethod
    def step(user) -> Step | None:
        if two_factor.required_for(user) and not user.is_verified():
            return Step("局内人员须启用两步验证后方可继续使用平台", "web:security",
                        ("/login/", "/account/security/"))
        reason = passwords.change_required(user)
        if reason:
            return Step(reason, "web:password-change", ("/account/password/",))
        return None

    def __call__(self, request):
        step = self.step(request.user) if request.user.is_authenticated else None
        if step is None or request.path.startswith(self.ALWAYS_OPEN + step.open):
            return self.get_response(request)
        return _refuse(request, step.message, 403, lambda: redirect(step.url_name))


class ChineseByDefaultLocaleMiddleware(LocaleMiddleware):
    """Simplified Chinese unless the user chose English with the language switch.

    Django's own middleware follows the browser's Accept-Language; a bureau platform speaks
    Chinese first, whatever language the browser was installed in.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen not in dict(settings.LANGUAGES):
            chosen = settings.LANGUAGE_CODE
        translation.activate(chosen)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        response = super().process_response(request, response)
        # The thread next serves other requests and in-process background work, whose texts
        # (state names in messages, notifications) must not inherit this visitor's English.
        translation.activate(settings.LANGUAGE_CODE)
        return response
