"""Uploads over the limit are refused while they arrive, on a real gunicorn worker.

The attacks: a request that announces a body of 10 GB, a file that grows past its limit
under an honest-looking Content-Length, and a client that hangs up half-way. Each is sent
over a raw socket to ``gunicorn qualityfund.wsgi`` (the README's production server) with its
own data folder, so that its memory (the worker's peak resident size), its answer time and
its temporary-upload folder can be checked; nothing may be stored.
"""

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
BOUNDARY = "qualityfund-test-boundary"
MB = 1024 * 1024
CSRF_COOKIE = "a" * 32  # a browser has one; the token itself is checked after the size
SETUP = """
import json
import django
django.setup()
from django.core.management import call_command
from django.test import Client
from qualityfund.core.accounts import tokens
from qualityfund.core.accounts.models import Role
from qualityfund.core.applications import services
from qualityfund.core.guides.services import load_guide, open_demo_copy
from qualityfund.domain.guide import GUIDE_2025
from tests import factories

call_command("migrate", verbosity=0)
guide = open_demo_copy(load_guide(GUIDE_2025))
user = factories.make_user(Role.APPLICANT, factories.make_organisation())
application = services.create_application(guide=guide, subprogramme="qi-service", by=user)
material = next(m for m in application.spec.materials if not m.generated)
client = Client()
client.force_login(user)
print(json.dumps({"application": application.pk, "material": material.key,
                  "title": material.title, "limit_mb": material.max_size_mb,
                  "session": client.cookies["sessionid"].value,
                  "token": tokens.issue(user, second_factor=False)[1]}))
"""


class Server:
    """A gunicorn master with one sync worker, on its own SQLite database and data folder."""

    def __init__(self, data_dir: Path):
        self.data_dir = data_dir
        self.env = {**os.environ, "QUALITYFUND_DATA_DIR": str(data_dir),
                    "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
                    "DJANGO_SETTINGS_MODULE": "qualityfund.settings"}
        self.env.pop("DATABASE_URL", None)
        setup = subprocess.run([sys.executable, "-c", SETUP], env=self.env, cwd=ROOT,
                               capture_output=True, text=True, timeout=300, check=True)
        self.scene = json.loads(setup.stdout.strip().splitlines()[-1])
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "qualityfund.wsgi", "-w", "1",
             "-b", f"127.0.0.1:{self.port}", "--timeout", "60"],
            env=self.env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self._wait_until_up()
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        self.worker = int(children.read_text().split()[0])

    def _wait_until_up(self):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=5):
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(self.process.stderr.read().decode())

    @property
    def temp_files(self) -> list[str]:
        return sorted(p.name for p in (self.data_dir / "upload-tmp").iterdir())

    @property
    def stored_files(self) -> list[Path]:
        media = self.data_dir / "media"
        return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []

    def reset_peak_memory(self) -> int:
        """Start counting the worker's peak resident size afresh; its resident size now."""
        Path(f"/proc/{self.worker}/clear_refs").write_text("5")
        return self._status("VmRSS")

    def peak_memory(self) -> int:
        return self._status("VmHWM")

    def _status(self, field: str) -> int:
        for line in Path(f"/proc/{self.worker}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
        raise KeyError(field)

    def connect(self, path, *, content_length, session="", token="") -> socket.socket:
        """A connection that has sent the headers of a multipart POST to ``path``, signed in
        with the session cookie or the API token given."""
        headers = [f"POST {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: close",
                   f"Content-Type: multipart/form-data; boundary={BOUNDARY}",
                   f"Content-Length: {content_length}",
                   f"Cookie: csrftoken={CSRF_COOKIE}; sessionid={session}"]
        if token:
            headers.append(f"Authorization: Token {token}")
        connection = socket.create_connection(("127.0.0.1", self.port), timeout=30)
        connection.sendall(("\r\n".join(headers) + "\r\n\r\n").encode())
        return connection

    def post(self, path, *, content_length, body, **credentials):
        """POST ``body`` (an iterable of bytes) under the announced ``content_length``.

        The body is sent from a thread while the answer is read, as a browser does: a
        server that answers early must not have to wait for the rest.
        Returns (status, text of the answer, seconds until the answer arrived).
        """
        started = time.monotonic()
        connection = self.connect(path, content_length=content_length, **credentials)

        def send():
            try:
                for piece in body:
                    connection.sendall(piece)
            except OSError:
                pass  # the server answered and closed: what a refusal looks like

        sender = threading.Thread(target=send)
        sender.start()
        answer = bytearray()
        while chunk := connection.recv(65536):
            answer += chunk
        seconds = time.monotonic() - started
        connection.close()
        sender.join()
        head, _, text = bytes(answer).partition(b"\r\n\r\n")
        return int(head.split()[1]), text.decode("utf-8", "replace"), seconds

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    running = Server(tmp_path_factory.mktemp("gunicorn-data"))
    yield running
    running.stop()


def file_part(name: str, filename: str) -> bytes:
    return (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"; "
            f"filename=\"{filename}\"\r\nContent-Type: application/pdf\r\n\r\n").encode()


def pdf_stream(size: int):
    """``size`` bytes of a PDF-looking file, a megabyte at a time."""
    yield b"%PDF-1.7\n"
    sent = 9
    while sent < size:
        piece = b"0" * min(MB, size - sent)
        sent += len(piece)
        yield piece


def closing() -> bytes:
    return f"\r\n--{BOUNDARY}--\r\n".encode()


def upload_path(scene) -> str:
    return f"/applications/{scene['application']}/materials/{scene['material']}/upload/"


def test_a_10_gb_content_length_is_refused_at_once_with_the_material_and_its_limit(server):
    scene = server.scene
    status, text, seconds = server.post(
        upload_path(scene), content_length=10 * 1024 * MB, session=scene["session"],
        body=[file_part("file", "报告.pdf"), b"%PDF-1.7\n"])

    assert status == 413
    assert f"“{scene['title']}”：文件超过上限 {scene['limit_mb']} MB" in text
    assert seconds < 5  # answered without waiting for the 10 GB that never came
    assert server.temp_files == [] and server.stored_files == []


def test_the_public_objection_form_and_the_api_refuse_an_announced_oversize_body(server):
    status, text, _ = server.post("/funding/notice/any-year/objection/",
                                  content_length=200 * MB, body=[file_part("sealed_scan", "a.pdf")])
    assert status == 413 and "“加盖公章的异议书扫描件”：文件超过上限 10 MB" in text

    scene = server.scene
    status, text, _ = server.post(
        f"/api/v1/applications/{scene['application']}/materials/", content_length=5 * 1024 * MB,
        token=scene["token"], body=[file_part("file", "a.pdf")])
    assert status == 413
    assert json.loads(text)["detail"].startswith("“申报材料”：文件超过上限")
    assert server.temp_files == []


def test_a_file_growing_past_its_limit_is_stopped_while_streaming_in_little_memory(server):
    scene = server.scene
    limit = scene["limit_mb"] * MB
    size = limit + MB // 2  # over the limit, yet the Content-Length passes the first check
    head = file_part("file", "大文件.pdf")
    resident = server.reset_peak_memory()

    status, text, _ = server.post(
        upload_path(scene), content_length=len(head) + size + len(closing()),
        session=scene["session"],
        body=[head, *pdf_stream(size), closing()])

    assert status == 413 and f"“{scene['title']}”：文件超过上限" in text
    grown = server.peak_memory() - resident
    assert grown < 16 * MB, f"the worker grew by {grown / MB:.0f} MB for a {size / MB:.0f} MB body"
    assert server.temp_files == [] and server.stored_files == []


def wait_for(condition, seconds=10) -> bool:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)
    return condition()


def test_a_client_that_hangs_up_mid_upload_leaves_no_temporary_file(server):
    scene = server.scene
    head = file_part("file", "中断.pdf")
    connection = server.connect(upload_path(scene), content_length=len(head) + 20 * MB,
                                session=scene["session"])
    for piece in [head, *pdf_stream(6 * MB)]:  # past the 2.5 MB kept in memory
        connection.sendall(piece)
    assert wait_for(lambda: server.temp_files)  # the worker is spooling it to disk
    connection.close()

    assert wait_for(lambda: not server.temp_files), server.temp_files
    assert server.stored_files == []
    with urllib.request.urlopen(f"http://127.0.0.1:{server.port}/healthz", timeout=5) as answer:
        assert answer.status == 200  # and the worker goes on serving
