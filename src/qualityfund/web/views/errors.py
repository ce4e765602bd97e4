"""Error answers: a Chinese page in the site's frame, or ``{"detail": ...}`` under ``/api/``.

Django calls these for any view (``handler400`` … ``handler500`` in the root URLconf and
``CSRF_FAILURE_VIEW``), so an unknown API path, a crash inside the API and a refused upload
answer the API's JSON shape, and no page ever shows Django's English defaults.
"""

from django.core.exceptions import DisallowedHost
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from qualityfund.core.common.uploads import UploadTooLarge

API_PREFIX = "/api/"


def _is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def _back(request) -> str:
    """The page the visitor came from, when it is one of ours, for the “返回” link."""
    target = request.META.get("HTTP_REFERER", "")
    try:
        ours = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    except DisallowedHost:
        return ""
    return target if ours else ""


def _answer(request, status: int, title: str, message: str, *, field=None):
    if _is_api(request):
        return JsonResponse({"detail": message, "field": field}, status=status,
                            json_dumps_params={"ensure_ascii": False})
    return render(request, "web/errors/error.html", {
        "status": status, "title": title, "message": message, "back": _back(request)},
        status=status)


def bad_request(request, exception=None):
    if isinstance(exception, UploadTooLarge):
        return _answer(request, 413, _("文件过大"), exception.message, field=exception.field)
    return _answer(request, 400, _("请求有误"), _("请求无法处理，请返回上一页重试。"))


def permission_denied(request, exception=None):
    return _answer(request, 403, _("无权访问"),
                   _("您的账号无权访问此页面或执行此操作。如需办理，请使用相应角色的账号登录。"))


def page_not_found(request, exception=None):
    return _answer(request, 404, _("页面不存在"),
                   _("没有找到您要访问的页面或数据，可能已被移除，或地址有误。"))


def csrf_failure(request, reason=""):
    return _answer(request, 403, _("页面已过期"),
                   _("表单已过期或来源无法验证，请刷新页面后重新提交。"))


def server_error(request):
    """Rendered without the request's context: whatever broke (the database, say) is not
    touched again, and nothing about the failure reaches the visitor."""
    title, message = _("服务器出错"), _("系统暂时无法处理您的请求，已记录此问题，请稍后再试。")
    if _is_api(request):
        return JsonResponse({"detail": message, "field": None}, status=500,
                            json_dumps_params={"ensure_ascii": False})
    return HttpResponse(render_to_string("web/errors/error.html", {
        "status": 500, "title": title, "message": message}), status=500)
