"""``/healthz`` and the 500 page when the database is really gone.

A fresh process is pointed at a PostgreSQL port where nothing listens, with a password in
its URL: what answers the visitor must not carry the host, port, user, password or error
text; the log must.
"""

import json
import os
import subprocess
import sys

UNREACHABLE = "postgres://fund_owner:hunter2-secret@127.0.0.1:9/qualityfund"
ASK = """
import json, django
django.setup()
from django.test import Client
client = Client(raise_request_exception=False)
answers = {path: [r.status_code, r.content.decode()] for path, r in
           ((path, client.get(path)) for path in ("/healthz", "/"))}
print(json.dumps(answers))
"""


def test_healthz_answers_200_with_the_database(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok", "database": "ok"}


def test_without_the_database_healthz_says_503_and_the_log_keeps_the_reason(tmp_path):
    env = {**os.environ, "DATABASE_URL": UNREACHABLE, "QUALITYFUND_DATA_DIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", ASK], env=env, capture_output=True, text=True,
                          timeout=120, check=True)
    answers = json.loads(done.stdout.strip().splitlines()[-1])

    status, body = answers["/healthz"]
    assert status == 503
    assert json.loads(body) == {"status": "unavailable", "database": "unavailable"}
    status, page = answers["/"]
    assert status == 500 and "服务器出错" in page  # the frame renders without the database
    for secret in ("127.0.0.1", "fund_owner", "hunter2", "OperationalError", "connection"):
        assert secret not in body and secret not in page
    assert "healthz: the database does not answer" in done.stderr
    assert "127.0.0.1" in done.stderr  # the operator reads the reason in the log
