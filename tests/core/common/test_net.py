"""The client's address: a forged X-Forwarded-For is ignored unless a trusted proxy sent it."""

import pytest
from django.test import RequestFactory

from qualityfund.core.common.net import client_address


def _request(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert client_address(_request("203.0.113.9", "1.2.3.4")) == "203.0.113.9"


def test_behind_the_trusted_proxy_the_proxys_own_entry_names_the_client(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    # The client wrote "1.2.3.4" itself; the proxy appended the address it really saw.
    assert client_address(_request("10.0.0.2", "1.2.3.4, 198.51.100.7")) == "198.51.100.7"


def test_a_chain_of_trusted_proxies_is_skipped(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.2", "10.0.0.3"]
    assert client_address(_request("10.0.0.3", "198.51.100.7, 10.0.0.2")) == "198.51.100.7"


@pytest.mark.parametrize("header", ["", "not-an-address", "10.0.0.2"])
def test_nothing_usable_in_the_header_falls_back_to_the_proxy(settings, header):
    settings.TRUSTED_PROXIES = ["10.0.0.2"]
    assert client_address(_request("10.0.0.2", header)) == "10.0.0.2"
