"""The material check through a real Celery worker and Redis, as in the scaled runtime.

The worker is a separate process (``celery -A qualityfund worker --pool=solo``) started by
the test with ``REDIS_URL`` set. It must see the rows this test writes, so the database is
one both processes open: on PostgreSQL the test database itself, with the test's writes
committed (``transactional_db``); on SQLite, whose test database lives in this process's
memory, a file database migrated for this test. Jobs go to a queue of this test's own, so
other workers on the same Redis never take them.
"""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connections

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


def _url(settings_dict) -> str:
    s = settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture
def shared_database(tmp_path, django_db_blocker):
    """A database URL the worker opens, with this thread's connection on it."""
    if connections["default"].vendor == "postgresql":
        yield _url(connections["default"].settings_dict)
        return
    original = connections["default"]
    path = tmp_path / "shared.sqlite3"
    wrapper = original.__class__({**original.settings_dict, "NAME": str(path)}, "default")
    connections["default"] = wrapper
    try:
        with django_db_blocker.unblock():
            call_command("migrate", verbosity=0)
            yield f"sqlite:///{path}"
    finally:
        wrapper.close()
        connections["default"] = original


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
