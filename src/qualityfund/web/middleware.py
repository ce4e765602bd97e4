"""Middleware of the pages."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect


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
