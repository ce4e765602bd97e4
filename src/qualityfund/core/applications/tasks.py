"""Background work on applications (inline in the embedded runtime, Celery when scaled)."""

from celery import shared_task


@shared_task
def inspect_material_file(material_file_id: int) -> None:
    """Run the automatic material checks on one uploaded file and store the findings."""
    from .inspection import inspect_material_file as run

    run(material_file_id)
