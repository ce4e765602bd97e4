"""Loading guides and moving their windows."""

import hashlib
from datetime import datetime, timedelta
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from qualityfund.core.common import audit
from qualityfund.core.common.errors import RuleViolation
from qualityfund.core.common.permissions import require
from qualityfund.domain.guide import load_guide_text

from .models import Guide


@transaction.atomic
def load_guide(path: Path | str, *, slug: str | None = None, by=None) -> Guide:
    """Validate the guide file at ``path`` and store it; reloading the same slug updates it.

    A command run (``by`` None) is trusted; a user must be an admin. The stored window is
    the file's, except that a reload keeps a window an admin has moved.
    """
    if by is not None:
        require(by, "guides.change_guide")
    raw = Path(path).read_bytes()
    spec = load_guide_text(raw.decode("utf-8"), str(path))
    slug = slug or str(spec.year)
    guide, created = Guide.objects.update_or_create(
        slug=slug,
        defaults={
            "year": spec.year,
            "title": spec.title,
            "data": spec.model_dump(mode="json"),
            "source_sha256": hashlib.sha256(raw).hexdigest(),
        },
        create_defaults={
            "year": spec.year,
            "title": spec.title,
            "data": spec.model_dump(mode="json"),
            "source_sha256": hashlib.sha256(raw).hexdigest(),
            "opens_at": spec.window.opens_at,
            "closes_at": spec.window.closes_at,
        },
    )
    audit.record(by, "guide.load" if created else "guide.reload", guide,
                 path=str(path), sha256=guide.source_sha256)
    return guide


@transaction.atomic
def set_window(guide: Guide, opens_at: datetime, closes_at: datetime, *, by) -> Guide:
    """Move a guide's application window (admins only)."""
    require(by, "guides.change_guide", guide)
    if closes_at <= opens_at:
        raise RuleViolation("申报截止时间必须晚于申报开始时间", field="closes_at")
    before = (guide.opens_at.isoformat(), guide.closes_at.isoformat())
    guide.opens_at, guide.closes_at = opens_at, closes_at
    guide.save(update_fields=["opens_at", "closes_at"])
    audit.record(by, "guide.set_window", guide, before=before,
                 after=(opens_at.isoformat(), closes_at.isoformat()))
    return guide


@transaction.atomic
def open_demo_copy(guide: Guide, *, days: int = 30, now: datetime | None = None) -> Guide:
    """A clearly labelled copy of ``guide`` whose window is open now, for demonstrations.

    The real guide keeps its real dates; the copy's slug is ``<slug>-demo``.
    """
    now = now or timezone.now()
    demo, _ = Guide.objects.update_or_create(
        slug=f"{guide.slug}-demo",
        defaults={
            "year": guide.year,
            "title": guide.title,
            "is_demo": True,
            "data": guide.data,
            "source_sha256": guide.source_sha256,
            "opens_at": now - timedelta(days=1),
            "closes_at": now + timedelta(days=days),
        },
    )
    audit.record(None, "guide.open_demo_copy", demo, source=guide.slug)
    return demo
