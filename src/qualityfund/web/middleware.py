"""Middleware of the pages."""

from django.conf import settings
from django.contrib import messages
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.utils import translation


class PermissionsPolicy:
    """Every response says which browser features the pages may use (``PERMISSIONS_POLICY``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class RequireStaffTwoFactor:
    """With ``STAFF_REQUIRE_2FA``, bureau staff work only in a session verified by a code."""

    OPEN = ("/login/", "/logout/", "/account/security/", "/static/", "/healthz", "/i18n/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (settings.STAFF_REQUIRE_2FA and user.is_authenticated and user.is_bureau_staff
                and not user.is_verified() and not request.path.startswith(self.OPEN)):
            messages.warning(request, "局内人员须启用两步验证后方可继续使用平台")
            return redirect("web:security")
        return self.get_response(request)


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
