"""Background work on applications (jobs of the embedded runtime, or Celery when scaled)."""

from celery import Task, shared_task


class InspectionTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        """The checks could not be run even after retrying: say so on the file, instead of
        leaving it "检查中" for ever."""
        from .inspection import mark_failed

        mark_failed(args[0])


@shared_task(base=InspectionTask)
def inspect_material_file(material_file_id: int) -> None:
    """Run the automatic material checks on one uploaded file and store the findings."""
    from .inspection import inspect_material_file as run

    run(material_file_id)


@shared_task(name="applications.requeue_stuck_inspections")
def requeue_stuck_inspections() -> list[int]:
    """Queue again the checks of files left "检查中" with no job to finish them."""
    from .inspection import requeue_stuck

    return requeue_stuck()
