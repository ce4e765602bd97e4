"""The periodic entries run in the embedded runtime without Celery: each once per interval,
however many server processes there are, never while its previous run is open."""

import itertools
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from qualityfund.core.accounts.models import Role
from qualityfund.core.applications import services as applications
from qualityfund.core.applications.states import State
from qualityfund.core.guides.services import load_guide, open_demo_copy
from qualityfund.core.review import services as review
from qualityfund.core.review.services import ItemRequest
from qualityfund.core.runtime import jobs, scheduler
from qualityfund.core.runtime.models import Job, PeriodicRun
from qualityfund.domain.guide import GUIDE_2025
from tests import factories

ABANDON = "abandon-overdue-supplementation"


@pytest.fixture
def every_second(settings):
    settings.CELERY_BEAT_SCHEDULE = {
        ABANDON: {"task": "review.abandon_overdue", "schedule": 1.0}}


def test_an_entry_starts_once_per_interval_and_not_while_its_run_is_open(db, every_second):
    first = scheduler.tick()
    assert [(j.task, j.periodic, j.state) for j in first] == [
        ("review.abandon_overdue", ABANDON, Job.State.QUEUED)]
    assert scheduler.tick() == []  # another process ticking now: not due yet

    PeriodicRun.objects.update(last_run_at=timezone.now() - timedelta(seconds=5))
    assert scheduler.tick() == []  # due, but the first run has not finished

    jobs.run(first[0].pk)
    assert Job.objects.get(pk=first[0].pk).state == Job.State.DONE
    assert len(scheduler.tick()) == 1


def test_every_entry_of_the_schedule_names_a_task(db):
    from django.conf import settings

    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert jobs.task_named(entry["task"])


def overdue_application():
    guide = open_demo_copy(load_guide(GUIDE_2025))
    applicant = factories.make_user(Role.APPLICANT, factories.make_organisation())
    application = applications.create_application(guide=guide, subprogramme="brand",
                                                  by=applicant)
    application = applications.submit(factories.fill_application(application, applicant),
                                      by=applicant)
    review.request_supplementation(
        application, by=factories.make_user(Role.OFFICER),
        items=[ItemRequest("material:pledge", "未盖章")],
        at=timezone.now() - timedelta(days=30))
    application.refresh_from_db()
    return application


@pytest.mark.xdist_group("servers")
@pytest.mark.django_db(transaction=True)
def test_four_gunicorn_workers_abandon_an_overdue_application_taking_turns(embedded_server):
    application = overdue_application()
    assert application.state == State.SUPPLEMENTING
    server = embedded_server("gunicorn", "qualityfund.wsgi", "-w", "4", "-b", "{address}")
    server.start()

    deadline = time.monotonic() + 60
    while application.state != State.ABANDONED and time.monotonic() < deadline:
        time.sleep(0.2)
        application.refresh_from_db()
    assert application.state == State.ABANDONED, server.log.read_text()
    step = application.state_changes.get(to_state=State.ABANDONED)
    assert step.by is None and "视为放弃申报（指南七（一））" in step.note

    runs = Job.objects.filter(periodic=ABANDON)
    while runs.filter(state=Job.State.DONE).count() < 5 and time.monotonic() < deadline:
        time.sleep(0.2)
    server.stop()
    done = list(runs.filter(state=Job.State.DONE).order_by("created_at"))
    assert len(done) >= 5
    # Four workers tick every 0.2 s, yet the runs come one a second, one after the other.
    for before, after in itertools.pairwise(done):
        assert after.created_at - before.created_at >= timedelta(seconds=0.95)
        assert after.created_at >= before.finished_at
    assert application.state_changes.filter(to_state=State.ABANDONED).count() == 1
