"""Online backup and restore (sdgkg/backup.py) against a real ``sdgkg serve``: the server takes
the backup, a kill during one leaves no half backup, and the last good one restores byte for byte.
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import httpx
import pytest
from pyoxigraph import Literal, NamedNode, Quad, Store

from sdgkg.backup import read_manifest
from sdgkg.config import Settings
from tests.e2e.conftest import SDGKG, TOKEN, start_server, stop_server
from tests.service_fixtures import build_bundle_store
from tests.test_backup import nquads

EXTRA_TRIPLES = 60_000  # enough that the server's second backup lasts long enough to kill


@pytest.mark.slow
def test_a_backup_cut_off_by_a_kill_leaves_the_last_good_one_to_restore(tmp_path: Path) -> None:
    store = tmp_path / "store"
    build_bundle_store(store, Settings(store=str(store))).close()
    _add_triples(store, EXTRA_TRIPLES)
    expected = nquads(store)
    server, url = start_server(store, {"SDGKG_UPDATE_TOKEN": TOKEN})
    env = {**os.environ, "SDGKG_UPDATE_TOKEN": TOKEN, "SDGKG_PORT": url.rsplit(":", 1)[1][:-1]}
    good, cut = tmp_path / "good", tmp_path / "cut"
    try:
        _sdgkg(store, env, "backup", str(good))
        changed = httpx.post(
            url + "update",
            content=b"INSERT DATA { GRAPH <urn:x-test:g> { <urn:x-test:a> <urn:x-test:b> 1 } }",
            headers={
                "content-type": "application/sparql-update",
                "authorization": f"Bearer {TOKEN}",
            },
        )
        assert changed.status_code == 204
        backing_up = subprocess.Popen([*SDGKG, "--store", str(store), "backup", str(cut)], env=env)
        partial = _wait_for(lambda: next(tmp_path.glob(".cut.partial-*"), None))
        server.kill()  # mid-backup: its partial directory exists, the backup is not done
        server.wait()
        assert backing_up.wait(timeout=60) != 0
    finally:
        if server.poll() is None:
            stop_server(server)
    assert not cut.exists() and partial.is_dir()
    assert read_manifest(good).quads == expected.count(b"\n")
    _sdgkg(store, env, "restore", str(good))
    assert nquads(store) == expected


def _add_triples(store: Path, count: int) -> None:
    graph, label = (
        NamedNode("urn:x-test:bulk"),
        NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
    )
    opened = Store(str(store))
    opened.bulk_extend(
        Quad(NamedNode(f"urn:x-test:r{n}"), label, Literal(f"record {n}"), graph)
        for n in range(count)
    )
    opened.flush()
    del opened


def _sdgkg(store: Path, env: dict[str, str], *args: str) -> None:
    done = subprocess.run([*SDGKG, "--store", str(store), *args], env=env, capture_output=True)
    assert done.returncode == 0, done.stderr.decode()


def _wait_for(find):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        found = find()
        if found is not None:
            return found
        time.sleep(0.005)
    raise AssertionError("the backup did not start within 60 s")
