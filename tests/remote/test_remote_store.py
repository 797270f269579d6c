"""The same suite over the embedded store, Oxigraph server and Virtuoso (issue 7).

Load the bundle, fail atomically (syntax error, validation failure: the data is unchanged, as an
N-Quads export shows), validate against the store, answer the curated queries as golden, serve.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pyoxigraph import QueryResultsFormat, RdfFormat, parse_query_results

from sdgkg.cli import cli
from sdgkg.errors import GraphExists, RdfSyntaxError, UpdateConflict, ValidationFailed
from sdgkg.load import graph_for_file, load_files
from sdgkg.store import open_store, store_stats
from sdgkg.store.base import CATALOG_GRAPH, LOAD_STATE
from sdgkg.store.embedded import EmbeddedStore
from sdgkg.validate import validate_against_store
from tests.data import CASES_DIR, COMPETENCY_DIR, GOLDEN_DIR
from tests.remote.conftest import REMOTE_BACKENDS, Backend
from tests.remote.engines import free_port
from tests.test_queries import rows

pytestmark = pytest.mark.e2e

QUERIES = sorted(COMPETENCY_DIR.glob("CQ*.rq"))
GOAL_13 = "https://w3id.org/sdgkg/id/goal/13"


def nquads(backend: Backend) -> list[bytes]:
    out = io.BytesIO()
    backend.store.dump(out, RdfFormat.N_QUADS)
    return sorted(_without_blank_node_labels(out.getvalue()).splitlines())


def _without_blank_node_labels(data: bytes) -> bytes:
    # Engines may relabel blank nodes between two exports; the triples around them must match.
    return re.sub(rb"_:[A-Za-z0-9]+", b"_:b", data)


@pytest.fixture(scope="session")
def embedded_counts(embedded_reference: EmbeddedStore) -> tuple[int, dict[str, int]]:
    stats = store_stats(embedded_reference)
    return stats.triples, {g.graph: g.triples for g in stats.graphs}


def test_bundle_loads_as_in_the_embedded_store(
    backend: Backend, embedded_counts: tuple[int, dict[str, int]]
) -> None:
    stats = store_stats(backend.store)
    assert (stats.triples, {g.graph: g.triples for g in stats.graphs}) == embedded_counts
    assert backend.store.graph_names() == sorted(embedded_counts[1])


@pytest.mark.parametrize("bulk", [False, True], ids=["small", "bulk"])
@pytest.mark.parametrize(
    ("case", "error"),
    [("syntax-error.ttl", RdfSyntaxError), ("unknown-target.ttl", ValidationFailed)],
    ids=["syntax-error", "validation-failure"],
)
def test_failed_load_changes_nothing(
    backend: Backend, case: str, error: type[Exception], bulk: bool
) -> None:
    settings = backend.settings.model_copy(update={"bulk_threshold_bytes": 1 if bulk else 1 << 40})
    before = nquads(backend)
    with pytest.raises(error):
        load_files(backend.store, [CASES_DIR / case], settings)
    assert nquads(backend) == before
    assert not any("staging" in g for g in backend.store.graph_names())


def test_bulk_load_replaces_a_graph_in_one_step(backend: Backend, tmp_path: Path) -> None:
    settings = backend.settings.model_copy(update={"bulk_threshold_bytes": 1})
    path = tmp_path / "partnership-valid.ttl"
    path.write_bytes((CASES_DIR / "partnership-valid.ttl").read_bytes())
    progress: list[int] = []
    summary = load_files(
        backend.store, [path], settings, on_progress=lambda _p, done, _t: progress.append(done)
    )
    graph = summary.files[0].graph
    try:
        assert summary.files[0].bulk and summary.files[0].triples > 0
        assert progress and progress[-1] == path.stat().st_size
        load_files(backend.store, [path], settings, replace=True)
        count = backend.store.query(
            f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
        )
        assert int(next(iter(count))[0].value) == summary.files[0].triples  # type: ignore[arg-type,index]
    finally:
        backend.store.update(f"DROP SILENT GRAPH <{graph}>")
    assert graph not in backend.store.graph_names()


@pytest.mark.parametrize("backend", REMOTE_BACKENDS, indirect=True)
def test_unfinished_load_stays_hidden_until_replaced(backend: Backend, tmp_path: Path) -> None:
    """A new graph is loaded into directly, marked as loading: if the load dies half-way, its
    graph stays hidden, a plain load of that file is refused, and ``--replace`` takes it over."""
    settings = backend.settings.model_copy(update={"bulk_threshold_bytes": 1})
    path = tmp_path / "partnership-valid.ttl"
    path.write_bytes((CASES_DIR / "partnership-valid.ttl").read_bytes())
    graph = graph_for_file(path, settings.base_iri)
    backend.store.update(
        f'INSERT DATA {{ GRAPH <{CATALOG_GRAPH}> {{ <{graph}> <{LOAD_STATE}> "loading dead" }} '
        f'GRAPH <{graph}> {{ <urn:x-test:half> <urn:x-test:p> "half" }} }}'
    )
    try:
        assert graph not in backend.store.graph_names()
        with pytest.raises(GraphExists):
            load_files(backend.store, [path], settings)
        summary = load_files(backend.store, [path], settings, replace=True)
        assert graph in backend.store.graph_names()
        count = backend.store.query(
            f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
        )
        assert int(next(iter(count))[0].value) == summary.files[0].triples  # type: ignore[arg-type,index]
    finally:
        backend.store.update(
            f"DROP SILENT GRAPH <{graph}> ; "
            f"DELETE WHERE {{ GRAPH <{CATALOG_GRAPH}> {{ <{graph}> <{LOAD_STATE}> ?state }} }}"
        )


@pytest.mark.parametrize("backend", REMOTE_BACKENDS, indirect=True)
def test_writes_by_another_process_are_counted(backend: Backend, tmp_path: Path) -> None:
    """Each process has its own connection to the engine: a load or an update through one moves
    the data stamp, and the other counts the change when it next asks for the graphs."""
    other = open_store(backend.settings)
    try:
        other.refresh_graph_state()  # type: ignore[attr-defined]
        seen = other.writes  # type: ignore[attr-defined]
        other.refresh_graph_state()  # type: ignore[attr-defined]
        assert other.writes == seen  # type: ignore[attr-defined]  # nothing happened: no count
        path = tmp_path / "partnership-valid.ttl"
        path.write_bytes((CASES_DIR / "partnership-valid.ttl").read_bytes())
        graph = load_files(backend.store, [path], backend.settings).files[0].graph
        other.refresh_graph_state()  # type: ignore[attr-defined]
        assert other.writes == seen + 1  # type: ignore[attr-defined]
        # An update that leaves the list of graphs as it was is seen by its stamp alone.
        backend.store.update(f"INSERT DATA {{ GRAPH <{graph}> {{ <urn:x:s> <urn:x:p> 1 }} }}")
        other.refresh_graph_state()  # type: ignore[attr-defined]
        assert other.writes == seen + 2  # type: ignore[attr-defined]
        backend.store.update(f"DROP SILENT GRAPH <{graph}>")  # Virtuoso: SILENT, never created
        other.refresh_graph_state()  # type: ignore[attr-defined]
        assert other.writes == seen + 3  # type: ignore[attr-defined]
    finally:
        other.close()


@pytest.mark.parametrize("backend", REMOTE_BACKENDS, indirect=True)
def test_a_load_elsewhere_shows_in_the_services_dumps(backend: Backend, tmp_path: Path) -> None:
    """``sdgkg load`` run by another process (here: another connection to the engine) changes
    what the running service publishes in /dumps/ and VoID, without a restart."""
    import gzip

    from sdgkg.service.app import create_app
    from tests.service_fixtures import TestClient

    def published(client: TestClient) -> tuple[int, bytes]:
        listing = client.get("/dumps/").json()["dumps"]
        dump = client.get("/dumps/sdgkg.nt.gz")
        return listing[0]["triples"], gzip.decompress(dump.content)

    def wait_for_change(client: TestClient, before: int) -> tuple[int, bytes]:
        deadline = time.monotonic() + 10
        while True:
            now = published(client)
            if now[0] != before or time.monotonic() > deadline:
                return now
            time.sleep(0.2)

    path = tmp_path / "partnership-valid.ttl"
    path.write_bytes((CASES_DIR / "partnership-valid.ttl").read_bytes())
    subject = b"partnership/test-solar-schools>"
    served = open_store(backend.settings)
    with TestClient(create_app(backend.settings, store=served)) as client:
        before, dump = published(client)
        assert subject not in dump
        graph = load_files(backend.store, [path], backend.settings).files[0].graph
        try:
            loaded, dump = wait_for_change(client, before)
            assert loaded > before and subject in dump
        finally:
            backend.store.update(f"DROP SILENT GRAPH <{graph}>")
        dropped, dump = wait_for_change(client, loaded)
        assert dropped == before and subject not in dump


@pytest.mark.parametrize("backend", REMOTE_BACKENDS, indirect=True)
def test_with_only_sdgkg_writing_answers_are_cached_until_a_load_elsewhere(
    backend: Backend, tmp_path: Path
) -> None:
    """``SDGKG_REMOTE_WRITERS=sdgkg``: answers over the engine are cached and validated, and a
    load by another sdgkg process (its data stamp) ends both within about a second."""
    from sdgkg.service.app import create_app
    from tests.service_fixtures import TestClient

    settings = backend.settings.model_copy(update={"remote_writers": "sdgkg"})
    params = {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}
    accept = {"accept": "application/sparql-results+json"}
    path = tmp_path / "partnership-valid.ttl"
    path.write_bytes((CASES_DIR / "partnership-valid.ttl").read_bytes())
    with TestClient(create_app(settings, store=open_store(settings))) as client:

        def count(**headers: str) -> Any:
            return client.get("/sparql", params=params, headers={**accept, **headers})

        def hits() -> int:
            return int(client.get("/health").json()["result_cache"]["hits"])

        first = count()
        etag = first.headers["etag"]
        before = hits()
        watch = client.get("/health").json()["engine"]
        assert watch["writers"] == "sdgkg" and watch["graphs_age_s"] is not None
        assert count().content == first.content and hits() == before + 1
        assert count(**{"if-none-match": etag}).status_code == 304
        graph = load_files(backend.store, [path], backend.settings).files[0].graph
        try:
            deadline = time.monotonic() + 10
            while (now := count()).content == first.content and time.monotonic() < deadline:
                time.sleep(0.1)
            assert int(now.json()["results"]["bindings"][0]["n"]["value"]) > int(
                first.json()["results"]["bindings"][0]["n"]["value"]
            )
            assert count(**{"if-none-match": etag}).status_code == 200
            assert client.get("/health").json()["engine"]["changes_seen"] > watch["changes_seen"]
        finally:
            backend.store.update(f"DROP SILENT GRAPH <{graph}>")


def test_an_update_the_data_do_not_allow_is_a_conflict_not_an_outage(backend: Backend) -> None:
    """Every engine answers HTTP 500 to DROP of a missing graph; sdgkg reads its words and says
    409 (the client's request meets the data), not 503 (the store is down)."""
    before = nquads(backend)
    with pytest.raises(UpdateConflict, match="SILENT"):
        backend.store.update("DROP GRAPH <urn:x-test:missing>")
    assert nquads(backend) == before
    backend.store.update("DROP SILENT GRAPH <urn:x-test:missing>")


def test_validate_against_store(backend: Backend) -> None:
    assert validate_against_store([CASES_DIR / "partnership-valid.ttl"], backend.store).conforms
    assert not validate_against_store([CASES_DIR / "unknown-target.ttl"], backend.store).conforms


@pytest.mark.parametrize("backend", REMOTE_BACKENDS, indirect=True)
def test_cli_validate_against_remote_store(
    backend: Backend, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Remote engines only: the CLI on the embedded store is tests/test_cli.py's subject."""
    monkeypatch.setenv("SDGKG_STORE", backend.settings.store)
    if backend.settings.remote_user:
        monkeypatch.setenv("SDGKG_REMOTE_USER", backend.settings.remote_user)
        monkeypatch.setenv(
            "SDGKG_REMOTE_PASSWORD", backend.settings.remote_password.get_secret_value()
        )  # type: ignore[union-attr]
    runner = CliRunner()
    valid = runner.invoke(
        cli, ["validate", "--against-store", str(CASES_DIR / "partnership-valid.ttl")]
    )
    assert valid.exit_code == 0, valid.output
    invalid = runner.invoke(
        cli, ["validate", "--against-store", str(CASES_DIR / "unknown-target.ttl")]
    )
    assert invalid.exit_code == 1, invalid.output


def _same_answer(text: str, actual: list[tuple[str, ...]], expected: list[tuple[str, ...]]) -> None:
    if re.search(r"\bORDER\s+BY\b", text, re.I) and not re.search(r"\bLIMIT\b", text, re.I):
        assert actual == expected
    else:
        assert Counter(actual) == Counter(expected)


# Virtuoso 7.2 maps typed literals to SQL types when it stores them: xsd:positiveInteger comes back
# as xsd:integer and xsd:boolean true as "1"^^xsd:integer. Queries that return such values differ.
_VIRTUOSO_TYPED_LITERALS = {
    "CQ10-fact-source-and-key-phrase": "xsd:positiveInteger line numbers come back as xsd:integer",
    "CQ18-network-memberships": 'xsd:boolean values come back as "1"^^xsd:integer',
    "CQ21-provenance-of-record": "xsd:positiveInteger line numbers come back as xsd:integer",
}


# Virtuoso 7.2 loses rows when a property path with ``*``, ``+`` or ``?`` is joined with other
# patterns: ``?record a/rdfs:subClassOf* sdgkg:Initiative ; dcterms:subject ?topic`` answers one
# row of nine over the named dataset sdgkg always sends (default-graph-uri, as with FROM), also
# with the path in FILTER EXISTS or a sub-SELECT; ``?c rdfs:label ?l . ?c rdfs:subClassOf*
# sdgkg:Initiative`` answers nothing even without a dataset. Not fixable by rewording the path
# (openlink/virtuoso-opensource#127; src/sdgkg/reconcile/index.py works around it in Python).
_VIRTUOSO_PATH_JOINS = {
    "CQ50-topics-of-events": "1 of 9 rows (a/rdfs:subClassOf* sdgkg:Initiative, 2026-12-04)",
    "CQ52-where-partners-are-based": "1 of 5 rows (a/rdfs:subClassOf* sdgkg:Partner, 2026-12-04)",
}


def _xfail_on_virtuoso(request: pytest.FixtureRequest, backend: Backend, path: Path) -> None:
    if backend.name != "virtuoso":
        return
    if reason := _VIRTUOSO_TYPED_LITERALS.get(path.stem):
        reason = f"Virtuoso 7.2 normalises typed literals: {reason}"
    elif reason := _VIRTUOSO_PATH_JOINS.get(path.stem):
        reason = f"Virtuoso 7.2 loses rows of a property path joined with other patterns: {reason}"
    if reason:
        request.applymarker(pytest.mark.xfail(strict=True, reason=reason))


@pytest.mark.parametrize("path", QUERIES, ids=lambda p: p.stem)
def test_curated_query_answers_as_golden(
    request: pytest.FixtureRequest, backend: Backend, path: Path
) -> None:
    """The comparison of tests/test_queries.py, on every backend."""
    text = path.read_text(encoding="utf-8")
    _xfail_on_virtuoso(request, backend, path)
    golden = (GOLDEN_DIR / f"{path.stem}.srj").read_bytes()
    expected = rows(parse_query_results(golden, format=QueryResultsFormat.JSON))
    _same_answer(text, rows(backend.store.query(text)), expected)


@pytest.mark.parametrize("path", QUERIES, ids=lambda p: p.stem)
def test_curated_query_answers_as_embedded(
    request: pytest.FixtureRequest, backend: Backend, path: Path, embedded_reference: EmbeddedStore
) -> None:
    """Whatever the bundle holds today, a remote engine answers as the embedded store does."""
    text = path.read_text(encoding="utf-8")
    _xfail_on_virtuoso(request, backend, path)
    _same_answer(text, rows(backend.store.query(text)), rows(embedded_reference.query(text)))


def test_app_over_the_store_answers_sparql_and_pages(backend: Backend) -> None:
    from sdgkg.service.app import create_app
    from tests.service_fixtures import TestClient

    with TestClient(create_app(backend.settings, store=backend.store)) as client:
        answer = client.get(
            "/sparql",
            params={"query": f"ASK {{ <{GOAL_13}> ?p ?o }}"},
            headers={"accept": "application/sparql-results+json"},
        )
        assert answer.status_code == 200 and answer.json()["boolean"] is True
        select = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 7"})
        assert len(select.json()["results"]["bindings"]) == 7
        bad = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p }"})
        assert bad.status_code == 400 and bad.json()["error"] == "SPARQL syntax error"
        refused = client.post("/sparql", data={"update": "DROP ALL"})
        assert refused.status_code in (401, 403)
        page = client.get("/id/goal/13", headers={"accept": "text/turtle"})
        assert page.status_code == 200 and "skos" in page.text.lower()
        assert client.get("/.well-known/void", headers={"accept": "text/turtle"}).status_code == 200


@pytest.mark.parametrize("backend", REMOTE_BACKENDS, indirect=True)
def test_blank_nodes_come_back_as_blank_nodes(backend: Backend) -> None:
    """Virtuoso labels them "nodeID://b…" in results; goal 13's Danish wording has a quotation."""
    from pyoxigraph import BlankNode

    derivation = "<http://www.w3.org/ns/prov#qualifiedDerivation>"
    query = f"SELECT ?quotation WHERE {{ <{GOAL_13}> {derivation} ?quotation }}"
    found = [row["quotation"] for row in backend.store.query(query)]  # type: ignore[union-attr]
    assert found and all(isinstance(node, BlankNode) for node in found)


@pytest.mark.parametrize("backend", REMOTE_BACKENDS, indirect=True)
def test_sdgkg_serve_fronts_a_remote_engine(backend: Backend, tmp_path: Path) -> None:
    """The real ``sdgkg serve`` process over a remote engine (tests/e2e serve the embedded one)."""
    port = free_port()
    env = {
        "SDGKG_STORE": backend.settings.store,
        "SDGKG_PORT": str(port),
        "SDGKG_REMOTE_USER": backend.settings.remote_user or "",
        "SDGKG_REMOTE_PASSWORD": (
            backend.settings.remote_password.get_secret_value()
            if backend.settings.remote_password
            else ""
        ),
        "PATH": "/usr/bin:/bin",
    }
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "sdgkg", "serve"], env=env, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        root = f"http://127.0.0.1:{port}"
        _wait_for(root + "/health", process, log)
        query = urllib.parse.urlencode({"query": f"SELECT ?p WHERE {{ <{GOAL_13}> ?p ?o }}"})
        request = urllib.request.Request(
            f"{root}/sparql?{query}", headers={"accept": "application/sparql-results+json"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            assert b'"bindings":[' in response.read().replace(b" ", b"")
        request = urllib.request.Request(f"{root}/id/goal/13", headers={"accept": "text/html"})
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status == 200 and b"<html" in response.read().lower()
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait_for(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(log.read_text())
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"sdgkg serve did not start: {log.read_text()[-2000:]}")
