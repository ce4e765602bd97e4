"""One way for service functions to check who may act."""

import rules
from django.core.exceptions import PermissionDenied


def require(user, permission: str, obj=None) -> None:
    """Raise PermissionDenied unless ``user``'s role gives the ``rules`` permission on ``obj``.

    Asked of the rule set itself, not of ``user.has_perm``: Django grants an active superuser
    every permission, and a system administrator (the demo's, or one made with
    ``createsuperuser``) must not accept, recheck, decide, pay or withdraw through that."""
    if not rules.has_perm(permission, user, obj):
        raise PermissionDenied(f"无权执行此操作（{permission}）")
