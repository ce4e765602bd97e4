"""One way for service functions to check who may act."""

from django.core.exceptions import PermissionDenied


def require(user, permission: str, obj=None) -> None:
    """Raise PermissionDenied unless ``user`` holds the ``rules`` permission on ``obj``."""
    if not user.has_perm(permission, obj):
        raise PermissionDenied(f"无权执行此操作（{permission}）")
