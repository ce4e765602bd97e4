"""Writing the audit trail. Service functions call :func:`record` inside their transaction."""

from django.db import models

from .models import AuditRecord


def record(actor, action: str, obj: models.Model, **data) -> AuditRecord:
    """Record that ``actor`` did ``action`` to ``obj``; ``data`` must be JSON-serialisable."""
    return AuditRecord.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        data=data,
    )


def trail(obj: models.Model):
    """The audit records of one object, newest first."""
    return AuditRecord.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk)
    ).select_related("actor")
