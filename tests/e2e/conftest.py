"""A real ``sdgkg serve`` (uvicorn) on a free 127.0.0.1 port, over a store of the bundle."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from sdgkg.config import Settings
from tests.service_fixtures import build_bundle_store

TOKEN = "e2e-token"
SDGKG = [sys.executable, "-c", "from sdgkg.cli import main; main()"]  # the CLI, as installed or not


@dataclass(frozen=True)
class LiveServer:
    url: str  # http://127.0.0.1:PORT/ with a trailing slash
    store: Path
    stats_triples: int  # what `sdgkg stats` said before the server took the store's lock

    @property
    def endpoint(self) -> str:
        return self.url + "sparql"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(store: Path, env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    log = (store.parent / f"server-{port}.log").open("wb")
    process = subprocess.Popen(
        [*SDGKG, "--store", str(store), "serve", "--host", "127.0.0.1", "--port", str(port)],
        env={**os.environ, **env},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    log.close()  # the child has its own descriptor
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"sdgkg serve exited: {(store.parent / f'server-{port}.log').read_text()}"
            )
        try:
            if httpx.get(url + "health", timeout=1).status_code == 200:
                return process, url
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("sdgkg serve did not start within 60 s")


def stop_server(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def serve_bundle(
    tmp_path_factory: pytest.TempPathFactory, name: str, token: str
) -> Iterator[tuple[Path, str]]:
    """A server that takes updates with ``token``, over a fresh store of the bundle."""
    path = tmp_path_factory.mktemp(name) / "store"
    build_bundle_store(path, Settings(store=str(path))).close()
    process, url = start_server(path, {"SDGKG_UPDATE_TOKEN": token})
    yield path, url
    stop_server(process)


def run_cli(store: Path, *args: str, token: str | None = None) -> subprocess.CompletedProcess[str]:
    """``sdgkg --store STORE ARGS`` in a child process, with no SDGKG_ setting but the token."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SDGKG_")}
    if token:
        env["SDGKG_UPDATE_TOKEN"] = token
    return subprocess.run(
        [*SDGKG, "--store", str(store), *args], env=env, capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    path = tmp_path_factory.mktemp("e2e") / "store"
    build_bundle_store(path, Settings(store=str(path))).close()
    triples = sdgkg_stats_triples(path)
    process, url = start_server(path, {"SDGKG_UPDATE_TOKEN": TOKEN, "SDGKG_QUERY_TIMEOUT_S": "2"})
    yield LiveServer(url, path, triples)
    stop_server(process)


def sdgkg_stats_triples(store: Path) -> int:
    """The triple count ``sdgkg stats`` reports for the store."""
    output = subprocess.run(
        [*SDGKG, "--store", str(store), "stats", "--format", "json"],
        capture_output=True,
        check=True,
    ).stdout
    return int(json.loads(output)["triples"])


@pytest.fixture(scope="session")
def w3c_live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server over a store holding the W3C protocol tests' graph data."""
    from sdgkg.store.embedded import EmbeddedStore
    from tests.w3c.cases import load_graph_data, protocol_cases

    path = tmp_path_factory.mktemp("w3c") / "store"
    store = EmbeddedStore(path)
    load_graph_data(store.oxigraph, protocol_cases())
    store.close()
    process, url = start_server(path, {})
    yield url
    stop_server(process)
