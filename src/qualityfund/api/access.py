"""Who may reach which object through the API.

An application the caller may not view answers 404, exactly as one that does not exist, so
that ids of other organisations' applications reveal nothing. Permission to act on a visible
application is a separate check (403), made again by the service function itself.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework.permissions import BasePermission

from qualityfund.core.applications.models import Application

NOT_FOUND = "没有找到该申请"


def get_application(request, pk, permission: str | None = None) -> Application:
    try:
        application = Application.objects.select_related("guide", "organisation").get(pk=pk)
    except Application.DoesNotExist:
        raise Http404(NOT_FOUND) from None
    if not request.user.has_perm("applications.view_application", application):
        raise Http404(NOT_FOUND)
    if permission and not request.user.has_perm(permission, application):
        raise PermissionDenied("无权对该申请执行此操作")
    return application


class IsApplicant(BasePermission):
    """申报单位经办人 with an organisation; bureau staff use their own pages."""

    message = "仅申报单位经办人可访问本单位信息"

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.is_applicant)
