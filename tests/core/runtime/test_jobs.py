"""Jobs of the embedded runtime: kept with the work that queued them, claimed by one process,
taken up again when their process dies, retried a bounded number of times, then failed
where the user sees it. (The real ``kill -9`` of a server is in test_crash_recovery.)"""

from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from qualityfund.core.applications import services as applications
from qualityfund.core.applications.inspection import requeue_stuck
from qualityfund.core.applications.models import MaterialFile
from qualityfund.core.common.errors import RuleViolation
from qualityfund.core.runtime import jobs
from qualityfund.core.runtime.models import Job
from tests import factories

INSPECT = "qualityfund.core.applications.tasks.inspect_material_file"


@pytest.fixture(autouse=True)
def embedded(settings):
    """The embedded runtime's mode; the test runs each job itself, as a worker thread would
    (the suite's transaction never commits, so none is handed to a thread)."""
    settings.TASKS_MODE = "thread"
    settings.TASKS_MAX_ATTEMPTS = 3


@pytest.fixture
def application(make_application):
    return make_application("honors")


def upload(application, user) -> MaterialFile:
    return applications.upload_material(application, "pledge", factories.upload("承诺书.pdf"),
                                        by=user)


def test_a_job_exists_only_if_the_work_that_queued_it_commits(application, applicant):
    with pytest.raises(RuleViolation), transaction.atomic():
        upload(application, applicant)
        raise RuleViolation("后一步的规则不满足")
    assert not Job.objects.exists()

    record = upload(application, applicant)
    job = Job.objects.get()
    assert (job.task, job.args, job.state, job.attempts) == (
        INSPECT, [record.pk], Job.State.QUEUED, 0)


def test_a_job_is_run_by_one_process_only(application, applicant):
    upload(application, applicant)
    job = Job.objects.get()
    assert jobs.claim(job.pk) is not None
    assert jobs.claim(job.pk) is None  # a second process, or a second thread
    assert jobs.due() == []


def test_a_failing_check_is_retried_then_failed_and_the_applicant_sees_it(
        application, applicant, client_for, client_of):
    record = upload(application, applicant)
    record.file.storage.delete(record.file.name)  # the check cannot even open the file
    job = Job.objects.get()

    jobs.run(job.pk)
    job.refresh_from_db()
    assert (job.state, job.attempts) == (Job.State.QUEUED, 1)
    assert "FileNotFoundError" in job.last_error and job.run_after > timezone.now()
    assert jobs.run(job.pk) is None  # it waits out its delay
    for _ in range(2):
        Job.objects.filter(pk=job.pk).update(run_after=timezone.now())
        jobs.run(job.pk)

    job.refresh_from_db()
    assert (job.state, job.attempts) == (Job.State.FAILED, 3)
    assert jobs.due() == [] and jobs.run(job.pk) is None
    shown = client_for(applicant).get(
        f"/api/v1/applications/{application.pk}/materials/{record.pk}/").json()
    assert shown["inspection_label"] == "检查失败"
    assert "请审核人员人工核对此文件" in shown["findings"][0]["message"]
    page = client_of(applicant).get(
        reverse("web:material-findings", args=[application.pk, record.pk])).content.decode()
    assert "自动检查多次未能完成" in page
    assert "自动检查中" not in page and "hx-get" not in page  # the page stops asking


def test_a_job_whose_process_died_is_taken_up_when_its_lease_runs_out(application, applicant):
    record = upload(application, applicant)
    job = Job.objects.get()
    soon = timezone.now() + timedelta(seconds=30)
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING, attempts=1,
                                         owner="other-host:4242:dead", lease_expires_at=soon)
    assert jobs.due() == [] and jobs.claim(job.pk) is None  # it may still be working

    Job.objects.filter(pk=job.pk).update(lease_expires_at=timezone.now())
    assert jobs.due() == [job.pk]
    claimed = jobs.claim(job.pk)
    assert (claimed.attempts, claimed.owner) == (2, jobs.owner())
    assert jobs.renew_leases() == 1
    claimed.refresh_from_db()
    assert claimed.lease_expires_at > soon
    record.refresh_from_db()
    assert record.inspection == MaterialFile.Inspection.PENDING


def test_a_job_whose_process_dies_at_every_attempt_ends_failed(application, applicant):
    record = upload(application, applicant)
    job = Job.objects.get()
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING, attempts=3,
                                         owner="other-host:4242:dead",
                                         lease_expires_at=timezone.now())
    jobs.run(job.pk)
    job.refresh_from_db()
    assert (job.state, job.attempts) == (Job.State.FAILED, 4)
    assert "执行进程在第3次执行中终止" in job.last_error
    record.refresh_from_db()
    assert record.inspection == MaterialFile.Inspection.FAILED


def test_checks_left_pending_with_no_job_are_queued_again(application, applicant):
    lost, recent = upload(application, applicant), upload(application, applicant)
    Job.objects.all().delete()  # queued before the runtime kept its jobs, or lost in Redis
    MaterialFile.objects.filter(pk=lost.pk).update(
        uploaded_at=timezone.now() - timedelta(hours=2))

    assert requeue_stuck() == [lost.pk]
    assert list(Job.objects.values_list("task", "args")) == [(INSPECT, [lost.pk])]
    assert requeue_stuck() == []  # its job is queued now
    assert recent.inspection == MaterialFile.Inspection.PENDING


def test_jobs_done_a_month_ago_are_deleted_failed_ones_kept(application, applicant):
    upload(application, applicant)
    upload(application, applicant)
    done, failed = Job.objects.order_by("pk")
    long_ago = timezone.now() - timedelta(days=31)
    Job.objects.filter(pk=done.pk).update(state=Job.State.DONE, finished_at=long_ago)
    Job.objects.filter(pk=failed.pk).update(state=Job.State.FAILED, finished_at=long_ago)
    assert jobs.prune() == 1
    assert list(Job.objects.values_list("pk", flat=True)) == [failed.pk]
