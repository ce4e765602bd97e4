"""One error shape for the whole API: ``{"detail", "field", ...}``.

Service functions raise :class:`RuleViolation` with a Chinese message; it becomes a 400 that
names the field and lists the unmet conditions. Validation errors keep DRF's per-field lists
under ``errors`` and repeat the first message as ``detail``, so a client can always show
``detail``. Django's PermissionDenied and Http404 keep DRF's mapping (403, 404).
"""

import dataclasses
import math

from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from qualityfund.core.common.errors import RuleViolation


def plain(problem) -> object:
    """A problem attached to a RuleViolation (a CheckResult, usually) as JSON data."""
    if dataclasses.is_dataclass(problem) and not isinstance(problem, type):
        return dataclasses.asdict(problem)
    if isinstance(problem, (dict, str, int, float, bool)) or problem is None:
        return problem
    return str(problem)


def _first(errors) -> tuple[str | None, str]:
    """The first (field, message) of a nested DRF error structure."""
    if isinstance(errors, dict):
        for name, value in errors.items():
            field, message = _first(value)
            if name == "non_field_errors":
                return field, message
            return (f"{name}.{field}" if field else name), message
    if isinstance(errors, list) and errors:
        return _first(errors[0])
    return None, str(errors)


def exception_handler(exc, context):
    if isinstance(exc, RuleViolation):
        return Response(
            {"detail": exc.message, "field": exc.field,
             "problems": [plain(p) for p in exc.problems]},
            status=status.HTTP_400_BAD_REQUEST,
        )
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.Throttled):
        wait = f"请{math.ceil(exc.wait)}秒后再试" if exc.wait else "请稍后再试"
        response.data = {"detail": f"请求过于频繁，{wait}", "field": None}
    elif isinstance(exc, exceptions.ValidationError):
        field, message = _first(response.data)
        response.data = {"detail": message, "field": field, "errors": response.data}
    elif isinstance(response.data, dict) and "detail" in response.data:
        response.data.setdefault("field", None)
    return response
