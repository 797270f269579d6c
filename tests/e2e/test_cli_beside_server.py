"""The CLI while ``sdgkg serve`` holds the store (issue 16, item 4), with real processes.

Reads (``query``, ``stats``, ``export``, ``validate --against-store``) open the store read-only
beside the server, which writes meanwhile (benchmarks/read_only_beside_server.py measured that
each handle sees whole graphs only). ``load`` and ``import --load`` go through the server's
``/update`` with ``SDGKG_UPDATE_TOKEN``, and without it say exactly what to do.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from sdgkg.rdfio import parse_file
from tests.data import CASES_DIR, REPO_DIR
from tests.e2e.conftest import run_cli as sdgkg
from tests.e2e.conftest import serve_bundle

pytestmark = pytest.mark.e2e

TOKEN = "beside-token"
PARTNERSHIP = "https://w3id.org/sdgkg/id/partnership/test-solar-schools"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    yield from serve_bundle(tmp_path_factory, "beside", TOKEN)


def server_count(url: str, query: str) -> int:
    answer = httpx.get(
        url + "sparql", params={"query": query}, headers={"Accept": "application/json"}
    )
    return int(answer.json()["results"]["bindings"][0]["n"]["value"])


def test_issue_16_reads_work_while_the_server_writes(
    served: tuple[Path, str], tmp_path: Path
) -> None:
    """https://github.com/sdgkg/sdgkg/issues/16"""
    store, url = served
    stop = threading.Event()
    written: list[int] = []

    def write() -> None:
        number = 0
        while not stop.is_set():
            triples = " ".join(
                f"<https://w3id.org/sdgkg/id/partner/w{number}-{i}> "
                f'<http://www.w3.org/2000/01/rdf-schema#label> "w {i}" .'
                for i in range(300)
            )
            graph = f"https://w3id.org/sdgkg/graph/upload/beside-{number}"
            response = httpx.post(
                url + "update",
                data={"update": f"INSERT DATA {{ GRAPH <{graph}> {{ {triples} }} }}"},
                headers={"Authorization": f"Bearer {TOKEN}"},
                timeout=60,
            )
            assert response.status_code == 204
            written.append(number)
            number += 1

    writer = threading.Thread(target=write)
    writer.start()
    try:
        count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
        reads = {
            "stats": ("stats", "--format", "json"),
            "query": ("query", "-e", count, "--format", "csv"),
            "export": ("export", "--format", "nquads", "-o", str(tmp_path / "all.nq")),
            "validate": ("validate", "--against-store", str(CASES_DIR / "partnership-valid.ttl")),
        }
        for name, args in reads.items():
            done = sdgkg(store, *args)
            assert (name, done.returncode) == (name, 0), done.stderr
            assert "in use" not in done.stderr
        assert (tmp_path / "all.nq").stat().st_size > 1_000_000
    finally:
        stop.set()
        writer.join()
    assert written, "the server took no update meanwhile"
    # A fresh read sees every update the server acknowledged.
    stats = json.loads(sdgkg(store, "stats", "--format", "json").stdout)
    assert stats["triples"] == server_count(url, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")


def test_issue_16_load_without_the_token_says_what_to_do(served: tuple[Path, str]) -> None:
    store, url = served
    done = sdgkg(store, "load", str(CASES_DIR / "partnership-valid.ttl"))
    assert done.returncode == 3
    assert done.stderr.strip() == (
        f"error: {store}: the store is in use by `sdgkg serve` at {url}; to load through it, "
        "set SDGKG_UPDATE_TOKEN to the token the server was started with, or stop the server "
        "and load again"
    )
    assert "Traceback" not in done.stderr


def test_issue_16_load_goes_through_the_server(served: tuple[Path, str], tmp_path: Path) -> None:
    store, url = served
    ask = f"SELECT (COUNT(*) AS ?n) WHERE {{ <{PARTNERSHIP}> ?p ?o }}"
    assert server_count(url, ask) == 0
    record = str(CASES_DIR / "partnership-valid.ttl")
    done = sdgkg(store, "load", record, token=TOKEN)
    assert done.returncode == 0, done.stderr
    triples = sum(1 for _ in parse_file(CASES_DIR / "partnership-valid.ttl").all_triples())
    assert f"{triples} triples from" in done.stdout and "partnership-valid>" in done.stdout
    assert server_count(url, ask) > 5
    again = sdgkg(store, "load", record, token=TOKEN)
    assert again.returncode == 2 and "--replace" in again.stderr
    assert sdgkg(store, "load", "--replace", record, token=TOKEN).returncode == 0
    wrong = sdgkg(store, "load", "--replace", record, token="not-the-token")
    assert wrong.returncode == 3 and "refused the load (403)" in wrong.stderr
    before = server_count(url, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    invalid = sdgkg(store, "load", str(CASES_DIR / "unknown-target.ttl"), token=TOKEN)
    assert invalid.returncode == 1 and "nothing was loaded" in invalid.stderr
    assert "S04-Partnership-statedSDG" in invalid.stdout
    assert server_count(url, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") == before


def test_issue_16_import_loads_through_the_server(served: tuple[Path, str]) -> None:
    store, url = served
    template = REPO_DIR / "data" / "templates" / "partnerships.csv"
    done = sdgkg(store, "import", "--load", str(template), token=TOKEN)
    assert done.returncode == 0, done.stderr
    ask = (
        "SELECT (COUNT(*) AS ?n) WHERE "
        "{ <https://w3id.org/sdgkg/id/partnership/example-learning-city-schools> ?p ?o }"
    )
    assert server_count(url, ask) > 5
