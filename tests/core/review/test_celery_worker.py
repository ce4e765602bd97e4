"""The material check through a real Celery worker and Redis, as in the scaled runtime.

The worker is a separate process (``celery -A qualityfund worker --pool=solo``) started by
the test with ``REDIS_URL`` set, on the database of ``shared_database`` (tests/processes.py).
Jobs go to a queue of this test's own, so other workers on the same Redis never take them.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from kombu import pools

from qualityfund.celery import app as celery_app
from qualityfund.core.accounts.models import Role
from qualityfund.core.applications import services as applications
from qualityfund.core.applications.models import MaterialFile
from qualityfund.core.guides.services import load_guide, open_demo_copy
from qualityfund.domain.guide import GUIDE_2025
from tests import factories
from tests.domain.inspection import samples
from tests.processes import ROOT

# A Redis database of these tests' own: a worker restores the unacknowledged messages of
# its whole database, other projects' included.
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
CELERY = Path(sys.executable).with_name("celery")
pytestmark = [pytest.mark.celery, pytest.mark.xdist_group("celery"),
              pytest.mark.django_db(transaction=True)]


@pytest.fixture
def celery_queue(settings):
    """This process sends to Redis, to a queue of its own."""
    queue = f"qualityfund-test-{uuid.uuid4().hex[:12]}"
    before = {"broker_url": celery_app.conf.broker_url,
              "task_default_queue": celery_app.conf.task_default_queue}
    celery_app.conf.update(broker_url=REDIS_URL, task_default_queue=queue)
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    settings.TASKS_MODE = "celery"
    yield queue
    celery_app.pool.force_close_all()
    pools.reset()  # the next test's producers connect afresh
    celery_app.conf.update(**before)
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def start_worker(shared_database, celery_queue, settings, tmp_path):
    """``start_worker(*pool_options, settings=MODULE)``: a Celery worker process on the shared
    database and the same file storage, in a session of its own."""
    media = Path(settings.STORAGES["default"]["OPTIONS"]["location"])
    env = {**os.environ, "REDIS_URL": REDIS_URL, "DATABASE_URL": shared_database,
           "QUALITYFUND_DATA_DIR": str(media.parent), "QUALITYFUND_TESTING": "1",
           "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}
    assert media == media.parent / "media"  # the worker's MEDIA_ROOT is DATA_DIR/media
    log = (tmp_path / "worker.log").open("w")
    processes = []

    def start(*pool_options, settings="qualityfund.settings"):
        processes.append(subprocess.Popen(
            [str(CELERY), "-A", "qualityfund", "worker", *pool_options, "-Q", celery_queue,
             "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "info",
             "-n", f"{celery_queue}-{len(processes)}@%h"],
            env={**env, "DJANGO_SETTINGS_MODULE": settings}, stdout=log,
            stderr=subprocess.STDOUT, start_new_session=True))
        return processes[-1]

    yield start
    for process in processes:
        if process.poll() is not None:
            continue
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
    log.close()


@pytest.fixture
def worker(start_worker):
    return start_worker("--pool=solo")


def upload_careless_pledge():
    guide = open_demo_copy(load_guide(GUIDE_2025))
    organisation = factories.make_organisation("深圳市丙质量科技有限公司")
    applicant = factories.make_user(Role.APPLICANT, organisation)
    application = applications.create_application(guide=guide, subprogramme="honors",
                                                  by=applicant)
    return applications.upload_material(
        application, "pledge", factories.upload("承诺书.pdf", samples.careless_pledge_pdf()),
        by=applicant)


def wait_until_checked(record, worker, log: Path, timeout: float = 180):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        record.refresh_from_db()
        if record.inspection != MaterialFile.Inspection.PENDING:
            break
        assert worker.poll() is None, log.read_text()
        time.sleep(0.5)
    assert record.inspection == MaterialFile.Inspection.DONE, log.read_text()
    failed = {(f["check"], f["page"]) for f in record.findings if f["status"] == "fail"}
    assert {("orientation", 1), ("seal", 1), ("legibility", 1)} <= failed


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid``, from /proc."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def test_an_upload_is_inspected_by_a_celery_worker(worker, tmp_path):
    record = upload_careless_pledge()
    wait_until_checked(record, worker, tmp_path / "worker.log")
    log = (tmp_path / "worker.log").read_text()
    assert "inspect_material_file" in log and "succeeded" in log


def test_the_check_of_a_killed_worker_is_delivered_again(start_worker, tmp_path):
    """acks_late: a task is acknowledged when done, so the task of a worker killed in its
    middle goes back to the queue (after the visibility timeout, shortened here) and the
    next worker does it."""
    short = "tests.core.review.worker_settings"
    first = start_worker("--pool=threads", settings=short)
    log = tmp_path / "worker.log"
    record = upload_careless_pledge()

    def checking() -> bool:  # the fork server of the inspection has started a child
        return any(children(server) for server in children(first.pid))

    deadline = time.monotonic() + 120
    while not (begun := checking()) and time.monotonic() < deadline:
        assert first.poll() is None, log.read_text()
        time.sleep(0.1)
    assert begun, log.read_text()
    os.killpg(first.pid, signal.SIGKILL)
    first.wait(20)
    record.refresh_from_db()
    assert record.inspection == MaterialFile.Inspection.PENDING

    second = start_worker("--pool=threads", settings=short)
    wait_until_checked(record, second, log)
    assert log.read_text().count("inspect_material_file") >= 3  # received twice, then done
