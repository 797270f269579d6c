"""``sdgkg serve`` relays queries to a remote Oxigraph server on the event loop
(execution/relay.py).

Against a real ``oxigraph serve`` started by the tests: answers are the engine's own bytes, big
ones stream, the row limit, the deadline and syntax errors behave as on the embedded store, and
answers that must be re-encoded (RDF/XML, JSON-LD) still come out right by the threaded path.
"""

from __future__ import annotations

import io
import json
import time
import urllib.request
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from pyoxigraph import RdfFormat, Store, parse

from sdgkg.config import Settings
from sdgkg.execution.result_stream import CHUNK_BYTES
from sdgkg.service.app import create_app
from sdgkg.store import open_store
from tests.remote.conftest import Backend
from tests.remote.engines import free_port
from tests.service_fixtures import TestClient, check_deadline

pytestmark = pytest.mark.parametrize("backend", ["oxigraph"], indirect=True)

GOAL_13 = "https://w3id.org/sdgkg/id/goal/13"
SLOW_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }"
JSON_RESULTS = "application/sparql-results+json"


@pytest.fixture
def client_for(backend: Backend) -> Iterator[Any]:
    clients: list[Any] = []

    def make(**overrides: object) -> Any:
        settings = Settings(store=backend.settings.store, **overrides)  # type: ignore[arg-type]
        client = TestClient(create_app(settings, store=open_store(settings))).__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


def _engine_answer(backend: Backend, query: str, accept: str) -> bytes:
    """What the engine itself answers, asked directly (union default graph, as sdgkg asks)."""
    url = backend.settings.store.removeprefix("sparql+") + "/query"
    body = urlencode({"query": query, "union-default-graph": ""}).encode()
    request = urllib.request.Request(url, data=body, headers={"accept": accept})
    with urllib.request.urlopen(request, timeout=30) as response:
        return bytes(response.read())


def test_answers_are_the_engines_own_bytes_on_kept_alive_connections(
    client_for: Any, backend: Backend
) -> None:
    client = client_for()
    query = f"SELECT ?p ?o WHERE {{ <{GOAL_13}> ?p ?o }} ORDER BY ?p ?o"
    for _ in range(3):
        response = client.get("/sparql", params={"query": query}, headers={"accept": JSON_RESULTS})
        assert response.status_code == 200
        assert response.headers["content-type"].startswith(JSON_RESULTS)
    assert response.content == _engine_answer(backend, query, JSON_RESULTS)
    ask = client.get("/sparql", params={"query": f"ASK {{ <{GOAL_13}> ?p ?o }}"})
    assert ask.json() == {"head": {}, "boolean": True}
    assert "etag" not in response.headers  # other clients may change the engine's data
    relay = client.app.state.sdgkg.relay
    assert relay is not None and len(relay.upstream._idle) == 1  # one connection, reused


def test_the_list_of_graphs_is_kept_fresh_off_the_request_path(client_for: Any) -> None:
    from sdgkg.store.graph_catalogue import GRAPHS_TTL_S

    client = client_for()
    assert client.get("/sparql", params={"query": "ASK {}"}).status_code == 200
    store = client.app.state.sdgkg.store
    for _ in range(3):  # a quiet while: the next query finds a fresh list, asks nothing more
        time.sleep(GRAPHS_TTL_S * 0.8)
        assert store.catalogue.cached_state() is not None


def test_danish_text_and_a_chosen_graph_reach_the_engine_as_written(
    client_for: Any, backend: Backend
) -> None:
    """The relay sends the query as the body of a direct POST (UTF-8, not percent-encoded) and
    the dataset in the URL: both must arrive as the client wrote them."""
    client = client_for()
    query = (
        "SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label "
        'FILTER(CONTAINS(?label, "ø")) } ORDER BY ?s ?label'
    )
    union = client.get("/sparql", params={"query": query}, headers={"accept": JSON_RESULTS})
    assert union.status_code == 200
    assert union.content == _engine_answer(backend, query, JSON_RESULTS)
    everywhere = union.json()["results"]["bindings"]
    assert everywhere and all("ø" in row["label"]["value"] for row in everywhere)
    per_graph = {}
    for graph in client.app.state.sdgkg.store.graph_names():
        answer = client.get("/sparql", params={"query": query, "default-graph-uri": graph})
        assert answer.status_code == 200
        per_graph[graph] = len(answer.json()["results"]["bindings"])
    assert 0 < max(per_graph.values()) < len(everywhere)  # each graph sees only its own labels
    assert sum(per_graph.values()) >= len(everywhere)


def test_a_big_answer_streams_whole(client_for: Any, backend: Backend) -> None:
    client = client_for()
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o LIMIT 8000"
    response = client.get("/sparql", params={"query": query}, headers={"accept": JSON_RESULTS})
    assert response.status_code == 200
    assert len(response.content) > 4 * CHUNK_BYTES
    assert "content-length" not in response.headers  # streamed, not buffered
    assert len(response.json()["results"]["bindings"]) == 8000
    assert response.content == _engine_answer(backend, query, JSON_RESULTS)


@pytest.mark.parametrize("fmt", ["json", "turtle", "ntriples"])
def test_the_row_limit_is_an_error(client_for: Any, fmt: str) -> None:
    client = client_for(max_result_rows=10)
    if fmt == "json":
        query = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 11"
    else:
        query = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 11"
    response = client.get("/sparql", params={"query": query, "format": fmt})
    assert response.status_code == 413
    assert "10 rows" in response.json()["message"]
    fits = client.get("/sparql", params={"query": query.replace("11", "10"), "format": fmt})
    assert fits.status_code == 200


@pytest.mark.parametrize(
    ("fmt", "rdf_format"),
    [("turtle", RdfFormat.TURTLE), ("rdfxml", RdfFormat.RDF_XML), ("jsonld", RdfFormat.JSON_LD)],
)
def test_construct_in_every_format(client_for: Any, fmt: str, rdf_format: RdfFormat) -> None:
    client = client_for()
    query = f"CONSTRUCT {{ <{GOAL_13}> ?p ?o }} WHERE {{ <{GOAL_13}> ?p ?o }}"
    response = client.get("/sparql", params={"query": query, "format": fmt})
    assert response.status_code == 200
    triples = list(parse(io.BytesIO(response.content), format=rdf_format))
    count = client.get(
        "/sparql", params={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ <{GOAL_13}> ?p ?o }}"}
    )
    assert len(triples) == int(count.json()["results"]["bindings"][0]["n"]["value"]) > 5


def test_a_syntax_error_points_at_the_clients_own_query(client_for: Any) -> None:
    client = client_for()
    response = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p }"})
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "SPARQL syntax error"
    try:  # where the embedded engine puts it: the BASE sdgkg adds is not counted
        Store().query("SELECT * WHERE { ?s ?p }")
    except SyntaxError as error:
        assert body["where"] == str(error).split()[2].rstrip(":") == "1:25"


def test_the_deadline_answers_503_and_others_are_served(client_for: Any) -> None:
    client = client_for(query_timeout_s=0.5)
    check_deadline(client, SLOW_QUERY, 0.5)
    after = client.get("/sparql", params={"query": f"ASK {{ <{GOAL_13}> ?p ?o }}"})
    assert after.json()["boolean"] is True  # the dropped connection did not poison the pool


def test_an_engine_that_goes_away_is_a_503_not_a_traceback(backend: Backend) -> None:
    settings = Settings(store=f"sparql+http://127.0.0.1:{free_port()}")
    with TestClient(create_app(settings, store=open_store(settings))) as client:
        response = client.get("/sparql", params={"query": "ASK {}"})
    assert response.status_code == 503
    assert "cannot reach" in json.loads(response.content)["message"]
