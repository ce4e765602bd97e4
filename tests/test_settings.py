"""Production settings from the README's environment variables, run as an operator runs them.

Each case starts ``qualityfund`` in a fresh process with its own data folder and only the
variables given (no ``QUALITYFUND_TESTING``), as a deployment would.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

QUALITYFUND = Path(sys.executable).with_name("qualityfund")
PRODUCTION = {
    "SECRET_KEY": "k3Yx7-pQ2vN9_wR4zT8mL1cF6hJ0sD5aG7bE3uI9oP2yV4nM8qW1xZ6rC0tK5jH",
    "ALLOWED_HOSTS": "fund.amr.sz.gov.cn",
    "SECURE_COOKIES": "1",
    "SITE_URL": "https://fund.amr.sz.gov.cn",
    "SECURE_SSL_REDIRECT": "1",
    "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto: https",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
    "SECURE_HSTS_PRELOAD": "1",
}
BASICS = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "PYTHONPATH")
# A request through the README's reverse proxy, answered by the test client in the process.
THROUGH_PROXY = """
import json, django
django.setup()
from django.test import Client
client = Client(SERVER_NAME="fund.amr.sz.gov.cn")
plain = client.get("/guides/")
proxied = client.get("/healthz", HTTP_X_FORWARDED_PROTO="https")
health = client.get("/healthz")
print(json.dumps({"plain": [plain.status_code, plain.get("Location")],
                  "proxied": [proxied.status_code, proxied.get("Strict-Transport-Security")],
                  "health": health.status_code}))
"""


def run(args, tmp_path, **variables) -> subprocess.CompletedProcess:
    """``args`` in a process that sees only the machine's basics and ``variables``: none of
    the test run's own (QUALITYFUND_TESTING, DATABASE_URL, DJANGO_ALLOW_ASYNC_UNSAFE …)."""
    env = {name: os.environ[name] for name in BASICS if name in os.environ}
    env.update(QUALITYFUND_DATA_DIR=str(tmp_path / "data"), **variables)
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=120,
                          check=False)


def test_check_deploy_warns_of_nothing_with_the_readme_s_production_variables(tmp_path):
    done = run([str(QUALITYFUND), "check", "--deploy"], tmp_path, **PRODUCTION)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "System check identified no issues (0 silenced).\n"
    assert "WARNING" not in done.stderr


def test_https_redirect_proxy_header_and_hsts_follow_the_environment(tmp_path):
    done = run([sys.executable, "-c", THROUGH_PROXY], tmp_path, **PRODUCTION,
               DJANGO_SETTINGS_MODULE="qualityfund.settings")
    assert done.returncode == 0, done.stderr
    answers = json.loads(done.stdout.strip().splitlines()[-1])
    assert answers["plain"] == [301, "https://fund.amr.sz.gov.cn/guides/"]
    assert answers["proxied"] == [200, "max-age=31536000; includeSubDomains; preload"]
    assert answers["health"] == 200  # the proxy's health check may stay on plain HTTP


@pytest.mark.parametrize("production", [{"ALLOWED_HOSTS": "fund.amr.sz.gov.cn"},
                                        {"SECURE_COOKIES": "1"}])
def test_production_settings_without_secret_key_refuse_to_start(tmp_path, production):
    done = run([str(QUALITYFUND), "check"], tmp_path, **production)
    assert done.returncode == 1
    # The reason alone, without a traceback.
    assert done.stderr.startswith("qualityfund: 未设置 SECRET_KEY") and "Traceback" not in done.stderr
    assert not (tmp_path / "data" / "secret_key").exists()  # no key was made for it


def test_gunicorn_cannot_load_the_site_without_secret_key_either(tmp_path):
    done = run([sys.executable, "-c", "import qualityfund.wsgi"], tmp_path,
               ALLOWED_HOSTS="fund.amr.sz.gov.cn")
    assert done.returncode != 0 and "未设置 SECRET_KEY" in done.stderr


def test_a_misspelt_proxy_header_is_named(tmp_path):
    done = run([str(QUALITYFUND), "check"], tmp_path, SECURE_PROXY_SSL_HEADER="https")
    assert done.returncode != 0 and "SECURE_PROXY_SSL_HEADER" in done.stderr
