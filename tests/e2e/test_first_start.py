"""The README's first command on a fresh machine: ``sdgkg serve`` over an empty store loads the
bundle first (in a child ``sdgkg load``, so the loader does not stay resident), then serves it."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.e2e.conftest import start_server, stop_server

pytestmark = pytest.mark.e2e

GOALS = "SELECT (COUNT(*) AS ?n) WHERE { ?g a <https://w3id.org/sdgkg/ontology#Goal> }"


def test_serve_on_an_empty_store_loads_the_bundle(tmp_path: Path) -> None:
    store = tmp_path / "store"
    process, url = start_server(store, {})
    try:
        answer = httpx.get(url + "sparql", params={"query": GOALS}, timeout=30).json()
        assert answer["results"]["bindings"][0]["n"]["value"] == "17"
    finally:
        stop_server(process)
    log = next(tmp_path.glob("server-*.log")).read_text()
    assert "ontology/sdgkg.ttl" in log  # the child sdgkg load reported what it loaded
    process, url = start_server(store, {})  # a second start serves what is there
    try:
        answer = httpx.get(url + "sparql", params={"query": GOALS}, timeout=30).json()
        assert answer["results"]["bindings"][0]["n"]["value"] == "17"
    finally:
        stop_server(process)
