"""The embedded runtime survives ``kill -9``: a real server is killed in the middle of a
material check and started again, and the check is finished, with nothing left pending.

The server is ``qualityfund runserver`` with the embedded runtime (jobs run in the server
process) on the database of ``shared_database`` — a SQLite file, or the PostgreSQL test
database — and with the clocks of ``server_settings`` shortened.
"""

import signal
import time

import pytest
import urllib3

from qualityfund.core.accounts import tokens
from qualityfund.core.accounts.models import Role
from qualityfund.core.applications import services as applications
from qualityfund.core.applications.models import MaterialFile
from qualityfund.core.guides.services import load_guide, open_demo_copy
from qualityfund.core.runtime.models import Job
from qualityfund.domain.guide import GUIDE_2025
from tests import factories
from tests.domain.inspection import samples
from tests.processes import Server

pytestmark = [pytest.mark.xdist_group("servers"), pytest.mark.django_db(transaction=True)]


def wait_for(condition, timeout: float, server: Server, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        assert server.process.poll() is None, server.log.read_text()
        time.sleep(0.05)
    raise AssertionError(f"{what} not within {timeout}s:\n{server.log.read_text()}")


def test_a_check_killed_with_the_server_is_finished_after_the_restart(embedded_server):
    server = embedded_server("qualityfund", "runserver", "{address}", "--noreload")
    guide = open_demo_copy(load_guide(GUIDE_2025))
    applicant = factories.make_user(Role.APPLICANT, factories.make_organisation())
    application = applications.create_application(guide=guide, subprogramme="honors",
                                                  by=applicant)
    _, key = tokens.issue(applicant, second_factor=False)
    server.start()

    response = urllib3.request(
        "POST", f"{server.url}/api/v1/applications/{application.pk}/materials/",
        headers={"Authorization": f"Token {key}"}, timeout=60,
        fields={"material": "pledge",
                "file": ("承诺书.pdf", samples.careless_pledge_pdf(), "application/pdf")})
    assert response.status == 201, response.data
    record = MaterialFile.objects.get(pk=response.json()["id"])
    job = Job.objects.get(task="qualityfund.core.applications.tasks.inspect_material_file")
    assert job.args == [record.pk]

    wait_for(lambda: Job.objects.filter(pk=job.pk, state=Job.State.RUNNING).exists(), 60,
             server, "the check starting")
    server.kill(signal.SIGKILL)
    job.refresh_from_db()
    record.refresh_from_db()
    assert (job.state, job.attempts) == (Job.State.RUNNING, 1)  # killed in the middle
    assert record.inspection == MaterialFile.Inspection.PENDING

    server.start()
    wait_for(lambda: Job.objects.filter(pk=job.pk, state=Job.State.DONE).exists(), 180,
             server, "the check finishing after the restart")

    job.refresh_from_db()
    record.refresh_from_db()
    assert job.attempts == 2 and job.last_error == ""
    assert record.inspection == MaterialFile.Inspection.DONE
    failed = {(f["check"], f["page"]) for f in record.findings if f["status"] == "fail"}
    assert {("orientation", 1), ("seal", 1)} <= failed
    assert not Job.objects.exclude(state=Job.State.DONE).exclude(periodic__gt="").exists()
    assert not MaterialFile.objects.filter(inspection=MaterialFile.Inspection.PENDING).exists()
