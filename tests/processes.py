"""For tests that start the platform's own processes: a server, a Celery worker.

Such a process must see the rows the test writes, so the database is one both open: on
PostgreSQL the test database itself, with the test's writes committed (``transactional_db``);
on SQLite, whose test database lives in this process's memory, a file database migrated for
the test.
"""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import urllib3
from django.core.management import call_command
from django.db import connections

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _url(settings_dict) -> str:
    s = settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture
def shared_database(tmp_path, django_db_blocker):
    """A database URL another process opens, with this thread's connection on it."""
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


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """A platform server (``runserver`` or gunicorn) in a session of its own, so that a
    crash can be simulated by killing it and every process it started."""

    def __init__(self, command: list[str], env: dict, log: Path, port: int):
        self.command, self.env, self.log, self.port = command, env, log, port
        self.process = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> "Server":
        with self.log.open("a") as log:
            self.process = subprocess.Popen(self.command, env=self.env, cwd=ROOT, stdout=log,
                                            stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text()
            try:
                if urllib3.request("GET", f"{self.url}/healthz", timeout=2,
                                   retries=False).status == 200:
                    return self
            except urllib3.exceptions.HTTPError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"server did not answer in {timeout}s:\n{self.log.read_text()}")

    def kill(self, signal_number) -> None:
        os.killpg(self.process.pid, signal_number)
        self.process.wait(20)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, 9)
                self.process.wait(20)


def server_env(database_url: str, data_dir: Path, settings_module: str) -> dict:
    """The environment of a platform process on ``database_url`` and ``data_dir``, with this
    process's SECRET_KEY, so that the tokens and sessions the test makes open it."""
    from django.conf import settings

    return {**os.environ, "DATABASE_URL": database_url, "QUALITYFUND_DATA_DIR": str(data_dir),
            "SECRET_KEY": settings.SECRET_KEY,
            "DJANGO_SETTINGS_MODULE": settings_module, "QUALITYFUND_TESTING": "1",
            "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}

