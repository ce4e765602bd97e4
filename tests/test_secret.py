"""The embedded runtime's own SECRET_KEY: random, made once, private to its owner."""

import os
import stat
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings

from qualityfund.secret import MissingSecretKey, is_production, secret_key


def test_the_embedded_key_is_made_once_random_and_readable_by_its_owner_only(tmp_path):
    first = secret_key("", tmp_path, production=False)
    assert len(first) >= 50
    assert secret_key("", tmp_path, production=False) == first  # kept: sessions survive
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600
    other = tmp_path / "other"
    other.mkdir()
    assert secret_key("", other, production=False) != first


def test_processes_starting_together_all_use_the_same_key(tmp_path):
    with ThreadPoolExecutor(8) as pool:
        keys = set(pool.map(lambda _: secret_key("", tmp_path, production=False), range(16)))
    assert len(keys) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]  # no draft left behind


def test_the_running_site_uses_no_key_that_ships_with_the_code():
    expected = (os.environ.get("SECRET_KEY")
                or (settings.DATA_DIR / "secret_key").read_text().strip())
    assert settings.SECRET_KEY == expected


def test_a_given_key_wins_and_production_needs_one(tmp_path):
    assert secret_key("given", tmp_path, production=True) == "given"
    with pytest.raises(MissingSecretKey, match="SECRET_KEY"):
        secret_key("", tmp_path, production=True)


@pytest.mark.parametrize(("hosts", "secure", "expected"), [
    (["127.0.0.1", "localhost", "testserver"], False, False),
    (["localhost", ""], False, False),
    (["localhost", "fund.amr.sz.gov.cn"], False, True),
    (["*"], False, True),
    (["127.0.0.1"], True, True),
])
def test_production_is_a_real_host_name_or_secure_cookies(hosts, secure, expected):
    assert is_production(hosts, secure) is expected
