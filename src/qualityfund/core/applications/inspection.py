"""Automatic checks of an uploaded material, as an officer would do them, in the background.

The guide says what a material must satisfy: 三（…）"上述申报材料须在落款处加盖公章。申报材料
应当确保页面文字、公章、签名等实质性内容清晰可辨，各页面主要内容均为正向，不可横置或倒置";
附件7 "报告字数限3万字以内"; the report templates name the dimensions a report covers.
"""

import shutil
import tempfile
from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from qualityfund.core.common.tasks import enqueue
from qualityfund.core.runtime.jobs import open_arguments
from qualityfund.domain.inspection import InspectionSpec, inspect_file_isolated

from . import tasks
from .models import MaterialFile

# A check not finished this long after the upload has lost its job: the embedded runtime
# keeps its jobs, but a file uploaded before it did, or a Celery message lost with its
# broker, would otherwise stay "检查中" for ever. Longer than any queue at a deadline.
STUCK_AFTER = timedelta(hours=1)


def inspection_spec(guide_spec, material) -> InspectionSpec:
    """The checks the guide file asks of ``material``."""
    headings = ()
    if material.template:
        template = guide_spec.template(material.template)
        headings = tuple(d.title for d in template.dimensions)
    seal = material.seal_pages
    return InspectionSpec(
        seal_required=material.seal_required,
        seal_pages=seal.mode,
        **({"markers": tuple(seal.markers)} if seal.markers else {}),
        max_chars=material.max_chars,
        headings=headings,
        max_bytes=material.max_size_mb * 1024 * 1024,
    )


def inspect_material_file(material_file_id: int) -> MaterialFile:
    """Inspect one stored file (in a child process, bounded) and store its findings."""
    record = MaterialFile.objects.select_related("application__guide").get(pk=material_file_id)
    application = record.application
    material = next(m for m in application.spec.materials if m.key == record.material_key)
    spec = inspection_spec(application.guide.spec, material)
    with tempfile.TemporaryDirectory(prefix="qualityfund-inspect-") as folder:
        # Object storage has no local path: work on a local copy in every runtime.
        local = Path(folder) / f"file.{record.file_type}"
        with record.file.open("rb") as source, local.open("wb") as target:
            shutil.copyfileobj(source, target, length=1024 * 1024)
        findings = inspect_file_isolated(str(local), spec)
    record.findings = [f.as_dict() for f in findings]
    record.inspection = MaterialFile.Inspection.DONE
    record.save(update_fields=["findings", "inspection"])
    return record


def mark_failed(material_file_id: int) -> None:
    """The checks could not be run: the officer checks this file by hand."""
    unchecked = {"check": "inspection", "status": "warn", "page": None,
                 "message": "自动检查多次未能完成，请审核人员人工核对此文件"}
    MaterialFile.objects.filter(
        pk=material_file_id, inspection=MaterialFile.Inspection.PENDING,
    ).update(inspection=MaterialFile.Inspection.FAILED, findings=[unchecked])


def requeue_stuck(now=None) -> list[int]:
    """Queue the checks of files still "检查中" :data:`STUCK_AFTER` after upload, with no
    queued or running job of the embedded runtime for them."""
    cutoff = (now or timezone.now()) - STUCK_AFTER
    stuck = set(MaterialFile.objects.filter(
        inspection=MaterialFile.Inspection.PENDING, uploaded_at__lt=cutoff,
    ).values_list("pk", flat=True)) - open_arguments(tasks.inspect_material_file)
    for pk in sorted(stuck):
        enqueue(tasks.inspect_material_file, pk)
    return sorted(stuck)
