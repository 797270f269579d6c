"""Results serialised through a pipe (execution/piped.py): complete, stoppable, and nothing leaks.

The server runs in its own process, so what it holds open is visible from here: every way a
piped result can end (complete, over the row limit, past the deadline, client gone) must give
back both ends of its pipe, which also shows the serialising worker has stopped.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from sdgkg.config import Settings
from tests.e2e.conftest import start_server, stop_server
from tests.service_fixtures import build_bundle_store

pytestmark = pytest.mark.skipif(
    sys.platform != "linux", reason="pipes named by /proc/self/fd: Linux only (execution/piped.py)"
)
MAX_ROWS = 30_000


@dataclass(frozen=True)
class Server:
    pid: int


PAIRS = "SELECT * WHERE {{ ?a ?b ?c . ?d ?e ?f }} LIMIT {limit}"  # rows of two triples: MBs


def serve(tmp_path_factory: pytest.TempPathFactory, **env: str) -> Iterator[tuple[str, Server]]:
    path: Path = tmp_path_factory.mktemp("piped") / "store"
    build_bundle_store(path, Settings(store=str(path))).close()
    process: subprocess.Popen[bytes]
    process, url = start_server(path, env)
    yield url + "sparql", Server(process.pid)
    stop_server(process)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Server]]:
    """Rows capped at ``MAX_ROWS``."""
    yield from serve(tmp_path_factory, SDGKG_MAX_RESULT_ROWS=str(MAX_ROWS))


@pytest.fixture(scope="module")
def slow_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Server]]:
    """No row cap to speak of, a deadline of 1 s: a big result runs into the deadline."""
    yield from serve(
        tmp_path_factory, SDGKG_QUERY_TIMEOUT_S="1", SDGKG_MAX_RESULT_ROWS="1000000000"
    )


def open_files(process: Server) -> int:
    return len(os.listdir(f"/proc/{process.pid}/fd"))


def settle(process: Server, baseline: int) -> int:
    """The server's open descriptors once it has caught up (at most 5 s)."""
    deadline = time.monotonic() + 5
    while (count := open_files(process)) > baseline and time.monotonic() < deadline:
        time.sleep(0.05)
    return count


def test_a_result_bigger_than_the_pipe_arrives_whole(
    server: tuple[str, Server],
) -> None:
    endpoint, _ = server
    response = httpx.get(endpoint, params={"query": PAIRS.format(limit=MAX_ROWS)}, timeout=60)
    assert response.status_code == 200
    assert len(response.content) > 2 * 1024 * 1024  # more than the pipe holds: it was drained
    assert len(json.loads(response.content)["results"]["bindings"]) == MAX_ROWS


def test_every_way_a_piped_result_ends_gives_its_pipe_back(
    server: tuple[str, Server],
) -> None:
    endpoint, process = server
    assert httpx.get(endpoint, params={"query": "ASK { ?s ?p ?o }"}).status_code == 200
    baseline = open_files(process)  # with the client's kept-alive connection closed below

    # complete, small and large
    for limit in (10, 5_000):
        assert httpx.get(endpoint, params={"query": PAIRS.format(limit=limit)}).status_code == 200
    # over the row limit after the headers went out: a broken response, not a partial 200
    with pytest.raises(httpx.HTTPError):
        httpx.get(endpoint, params={"query": PAIRS.format(limit=MAX_ROWS + 1)}, timeout=60)
    # the client goes away after the first chunk
    with httpx.stream(
        "GET", endpoint, params={"query": PAIRS.format(limit=MAX_ROWS)}, timeout=30
    ) as response:
        next(response.iter_bytes())

    assert settle(process, baseline) <= baseline
    ok = httpx.get(endpoint, params={"query": PAIRS.format(limit=3)})
    assert ok.status_code == 200 and len(ok.json()["results"]["bindings"]) == 3


def test_a_deadline_mid_stream_gives_the_pipe_back(
    slow_server: tuple[str, Server],
) -> None:
    endpoint, process = slow_server
    assert httpx.get(endpoint, params={"query": "ASK { ?s ?p ?o }"}).status_code == 200
    baseline = open_files(process)
    started = time.monotonic()
    with (
        pytest.raises(httpx.HTTPError),
        httpx.stream(
            "GET", endpoint, params={"query": PAIRS.format(limit=10**9)}, timeout=30
        ) as response,
    ):
        assert response.status_code == 200
        for _ in response.iter_bytes():
            pass
    assert time.monotonic() - started < 10  # stopped at the deadline, not at the end
    assert settle(process, baseline) <= baseline
