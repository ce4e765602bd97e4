"""Writing the audit trail. Service functions call :func:`record` inside their transaction;
views call :func:`access` for what a user downloaded or exported."""

from django.db import models

from . import chain, source
from .models import AuditRecord

# Records of access rather than of change: log-in, log-out, downloads and exports.
ACCESS = "access."


def record(actor, action: str, obj: models.Model | None = None, **data) -> AuditRecord:
    """Record that ``actor`` did ``action`` to ``obj``; ``data`` must be JSON-serialisable.

    The record is inserted with the digest of its content and linked into the chain after
    commit, by the sealer (see :mod:`.chain`): writing it never waits for other writers."""
    origin = source.current()
    entry = chain.stamp(AuditRecord(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        data=data, address=origin.address, user_agent=origin.user_agent,
    ))
    entry.save(force_insert=True)
    chain.seal_after_commit()
    return entry


def access(request, what: str, obj: models.Model | None = None, **data) -> AuditRecord:
    """``what`` (``download``, ``export``) by the user of ``request``."""
    return record(request.user, f"{ACCESS}{what}", obj, **data)


def trail(obj: models.Model):
    """The audit records of one object, newest first."""
    return AuditRecord.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk)
    ).select_related("actor")
