from django import template

from ..models import IdentityChangeRequest

register = template.Library()


@register.simple_tag
def pending_identity_changes() -> int:
    """How many identity change requests wait for an officer (one COUNT query)."""
    return IdentityChangeRequest.objects.filter(
        status=IdentityChangeRequest.Status.PENDING).count()
