"""Servers of the embedded runtime, started by the tests as an operator would."""

import pytest

from tests.processes import BIN, Server, free_port, server_env


@pytest.fixture
def embedded_server(shared_database, settings, tmp_path):
    """``embedded_server(program, *arguments)``: a server on the test's database and file
    store, with the shortened clocks of ``server_settings``; ``{address}`` in the arguments
    becomes the address it listens on."""
    media = settings.STORAGES["default"]["OPTIONS"]["location"]
    env = server_env(shared_database, media.parent, "tests.core.runtime.server_settings")
    servers = []

    def make(program: str, *arguments: str) -> Server:
        port = free_port()
        command = [str(BIN / program), *(a.format(address=f"127.0.0.1:{port}")
                                         for a in arguments)]
        servers.append(Server(command, env, tmp_path / f"{program}.log", port))
        return servers[-1]

    yield make
    for server in servers:
        server.stop()
