"""The material check through a real Celery worker and Redis, as in the scaled runtime.

The worker is a separate process (``celery -A qualityfund worker --pool=solo``) started by
the test with ``REDIS_URL`` set, on the database of ``shared_database`` (tests/processes.py).
Jobs go to a queue of this test's own, so other workers on the same Redis never take them.
"""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from qualityfund.celery import app as celery_app
from qualityfund.core.accounts.models import Role
from qualityfund.core.applications import services as applications
from qualityfund.core.applications.models import MaterialFile
from qualityfund.core.guides.services import load_guide, open_demo_copy
from qualityfund.domain.guide import GUIDE_2025
from tests import factories
from tests.domain.inspection import samples

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
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
    celery_app.conf.update(**before)
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def worker(shared_database, celery_queue, settings, tmp_path):
    """A Celery worker process on the shared database and the same file storage."""
    media = Path(settings.STORAGES["default"]["OPTIONS"]["location"])
    env = {**os.environ, "REDIS_URL": REDIS_URL, "DATABASE_URL": shared_database,
           "QUALITYFUND_DATA_DIR": str(media.parent), "DJANGO_SETTINGS_MODULE":
           "qualityfund.settings", "QUALITYFUND_TESTING": "1"}
    assert media == media.parent / "media"  # the worker's MEDIA_ROOT is DATA_DIR/media
    log = (tmp_path / "worker.log").open("w")
    process = subprocess.Popen(
        [str(CELERY), "-A", "qualityfund", "worker", "--pool=solo", "-Q", celery_queue,
         "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "info",
         "-n", f"{celery_queue}@%h"], env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def test_an_upload_is_inspected_by_a_celery_worker(worker, tmp_path):
    guide = open_demo_copy(load_guide(GUIDE_2025))
    organisation = factories.make_organisation("深圳市丙质量科技有限公司")
    applicant = factories.make_user(Role.APPLICANT, organisation)
    application = applications.create_application(guide=guide, subprogramme="honors",
                                                  by=applicant)

    record = applications.upload_material(
        application, "pledge", factories.upload("承诺书.pdf", samples.careless_pledge_pdf()),
        by=applicant)

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        record.refresh_from_db()
        if record.inspection != MaterialFile.Inspection.PENDING:
            break
        assert worker.poll() is None, (tmp_path / "worker.log").read_text()
        time.sleep(0.5)
    log = (tmp_path / "worker.log").read_text()
    assert record.inspection == MaterialFile.Inspection.DONE, log
    assert "inspect_material_file" in log and "succeeded" in log
    failed = {(f["check"], f["page"]) for f in record.findings if f["status"] == "fail"}
    assert {("orientation", 1), ("seal", 1), ("legibility", 1)} <= failed
