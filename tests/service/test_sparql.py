"""SPARQL 1.1 Protocol at /sparql and /update: forms, formats, errors, limits, timeout, auth."""

from __future__ import annotations

import csv
import io
import json
import threading
import time
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from rdflib import Graph

from tests.service_fixtures import TestClient, check_deadline

PARTNERSHIPS = """PREFIX sdgkg: <https://w3id.org/sdgkg/ontology#>
SELECT ?partnership WHERE { ?partnership a sdgkg:Partnership } ORDER BY ?partnership"""
GOAL_13 = "https://w3id.org/sdgkg/id/goal/13"
SLOW_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d a ?f }"  # ~2 s on the bundle


def bindings(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.text
    return list(json.loads(response.content)["results"]["bindings"])


def test_get_post_form_and_direct_post_agree(client: TestClient) -> None:
    by_get = bindings(client.get("/sparql", params={"query": PARTNERSHIPS}))
    by_form = bindings(client.post("/sparql", data={"query": PARTNERSHIPS}))
    by_direct = bindings(
        client.post(
            "/sparql", content=PARTNERSHIPS, headers={"content-type": "application/sparql-query"}
        )
    )
    assert by_get == by_form == by_direct
    assert len(by_get) > 0


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
    ],
)
def test_select_formats(client: TestClient, accept: str, media_type: str) -> None:
    response = client.get("/sparql", params={"query": PARTNERSHIPS}, headers={"accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    assert "accept" in [token.strip() for token in response.headers["vary"].lower().split(",")]
    expected = len(bindings(client.get("/sparql", params={"query": PARTNERSHIPS})))
    if media_type == "text/csv":
        assert len(list(csv.reader(io.StringIO(response.text)))) == expected + 1
    elif media_type == "application/sparql-results+xml":
        results = ET.fromstring(response.content).iter(
            "{http://www.w3.org/2005/sparql-results#}result"
        )
        assert len(list(results)) == expected


@pytest.mark.parametrize(
    ("fmt", "rdflib_format"),
    [
        ("turtle", "turtle"),
        ("ntriples", "nt"),
        ("rdfxml", "xml"),
        ("nquads", "nquads"),
        ("trig", "trig"),
    ],
)
def test_construct_formats(client: TestClient, fmt: str, rdflib_format: str) -> None:
    query = f"CONSTRUCT {{ <{GOAL_13}> ?p ?o }} WHERE {{ <{GOAL_13}> ?p ?o }}"
    response = client.get("/sparql", params={"query": query, "format": fmt})
    assert response.status_code == 200, response.text
    graph = Graph().parse(data=response.content, format=rdflib_format)
    assert len(graph) > 3


def test_construct_jsonld(client: TestClient) -> None:
    query = f"DESCRIBE <{GOAL_13}>"
    response = client.get(
        "/sparql", params={"query": query}, headers={"accept": "application/ld+json"}
    )
    assert response.headers["content-type"] == "application/ld+json"
    assert len(Graph().parse(data=response.content, format="json-ld")) > 3


def test_ask(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": f"ASK {{ <{GOAL_13}> ?p ?o }}"})
    assert response.json() == {"head": {}, "boolean": True}


def test_default_graph_is_the_union_and_graphs_can_be_chosen(client: TestClient) -> None:
    sdg_graph = "https://w3id.org/sdgkg/graph/data/reference/sdg"
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/sdgkg/ontology#Goal> }"
    union = bindings(client.get("/sparql", params={"query": count}))
    only_sdg = bindings(
        client.get("/sparql", params={"query": count, "default-graph-uri": sdg_graph})
    )
    by_from = bindings(
        client.get("/sparql", params={"query": count.replace("WHERE", f"FROM <{sdg_graph}> WHERE")})
    )
    ontology = "https://w3id.org/sdgkg/graph/ontology/sdgkg"
    none = bindings(client.get("/sparql", params={"query": count, "default-graph-uri": ontology}))
    assert union[0]["n"]["value"] == only_sdg[0]["n"]["value"] == by_from[0]["n"]["value"] == "17"
    assert none[0]["n"]["value"] == "0"


@pytest.mark.parametrize(
    ("request_kwargs", "message"),
    [
        ({"method": "POST", "url": "/sparql", "data": {"nothing": "here"}}, "no query"),
        ({"method": "GET", "url": "/sparql?query=ASK%7B%7D&query=ASK%7B%7D"}, "2 query"),
        (
            {
                "method": "POST",
                "url": "/sparql",
                "content": "ASK {}",
                "headers": {"content-type": "text/plain"},
            },
            "Content-Type",
        ),
        (
            {
                "method": "POST",
                "url": "/sparql",
                "content": "ASK {}".encode("utf-16"),
                "headers": {"content-type": "application/sparql-query"},
            },
            "UTF-8",
        ),
        ({"method": "GET", "url": "/sparql?query=INSERT%20DATA%20%7B%7D"}, "/update"),
    ],
    ids=["missing", "two-queries", "media-type", "not-utf8", "update-as-query"],
)
def test_bad_requests_name_the_problem(
    client: TestClient, request_kwargs: dict[str, Any], message: str
) -> None:
    response = client.request(**request_kwargs)
    assert 400 <= response.status_code < 500
    assert message in response.json()["message"]


def test_syntax_error_has_line_and_column(client: TestClient) -> None:
    query = "SELECT ?s\nWHERE {\n  ?s ?p \n}"
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "SPARQL syntax error"
    assert body["where"].startswith("4:")
    assert "line 4, column" in body["message"]


def test_service_is_refused_before_execution(client: TestClient) -> None:
    hits: list[bytes] = []
    server = _loopback_listener(hits)
    query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{server}/sparql> {{ ?s ?p ?o }} }}"
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 403
    assert "SERVICE" in response.json()["message"]
    time.sleep(0.2)
    assert hits == []


def test_put_is_405(client: TestClient) -> None:
    response = client.put("/sparql?query=ASK%7B%7D")
    assert response.status_code == 405
    assert "GET" in response.headers["allow"]


def test_cors_on_results_and_preflight(client: TestClient) -> None:
    response = client.get(
        "/sparql", params={"query": "ASK {}"}, headers={"origin": "https://yasgui.org"}
    )
    assert response.headers["access-control-allow-origin"] == "*"
    preflight = client.options(
        "/sparql",
        headers={"origin": "https://yasgui.org", "access-control-request-method": "POST"},
    )
    assert preflight.status_code == 204
    assert "POST" in preflight.headers["access-control-allow-methods"]


def test_service_description_for_rdf_clients_and_browsers(client: TestClient) -> None:
    turtle = client.get("/sparql", headers={"accept": "text/turtle"})
    assert turtle.headers["content-type"].startswith("text/turtle")
    assert "union of all named graphs" in turtle.text
    page = client.get("/sparql", headers={"accept": "text/html"})
    assert page.headers["content-type"].startswith("text/html")
    assert "<form" in page.text


def test_unacceptable_format_is_406(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "ASK {}"}, headers={"accept": "image/png"})
    assert response.status_code == 406
    assert "available" in response.json()["message"]


# -- limits and timeout ------------------------------------------------------------------------


def test_request_size_limit(make_client: Any) -> None:
    client = make_client(max_request_bytes=100)
    response = client.post(
        "/sparql",
        content="ASK {}" + " " * 200,
        headers={"content-type": "application/sparql-query"},
    )
    assert response.status_code == 413
    assert "100 bytes" in response.json()["message"]


@pytest.mark.parametrize(
    "fmt", ["json", "xml", "csv", "tsv", "ntriples", "turtle", "trig", "rdfxml", "jsonld"]
)
def test_result_row_limit_is_an_error_not_a_partial_answer(make_client: Any, fmt: str) -> None:
    client = make_client(max_result_rows=10)
    if fmt in ("ntriples", "turtle", "trig", "rdfxml", "jsonld"):
        query = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 11"
    else:
        query = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 11"
    response = client.get("/sparql", params={"query": query, "format": fmt})
    assert response.status_code == 413
    assert "10 rows" in response.json()["message"]
    assert "/dumps/" in response.json()["message"]
    ok = client.get("/sparql", params={"query": query.replace("11", "10"), "format": fmt})
    assert ok.status_code == 200


def test_timeout_is_a_clear_503_and_others_are_served(make_client: Any) -> None:
    check_deadline(make_client(query_timeout_s=0.3), SLOW_QUERY, 0.3)


# -- update -------------------------------------------------------------------------------------

INSERT = (
    "INSERT DATA { GRAPH <https://w3id.org/sdgkg/graph/upload/t> { "
    '<https://w3id.org/sdgkg/id/partner/t> <http://www.w3.org/2000/01/rdf-schema#label> "T"@en'
    " } }"
)


def test_update_is_disabled_without_a_token(client: TestClient) -> None:
    response = client.post(
        "/update", content=INSERT, headers={"content-type": "application/sparql-update"}
    )
    assert response.status_code == 403
    assert response.json()["see"] == "SDGKG_UPDATE_TOKEN"


def test_update_needs_the_right_bearer_token(make_client: Any) -> None:
    client = make_client(update_token="s3cret")
    headers = {"content-type": "application/sparql-update"}
    missing = client.post("/update", content=INSERT, headers=headers)
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"].startswith("Bearer")
    wrong = client.post(
        "/update", content=INSERT, headers={**headers, "authorization": "Bearer nope"}
    )
    assert wrong.status_code == 403
    ok = client.post(
        "/update", content=INSERT, headers={**headers, "authorization": "Bearer s3cret"}
    )
    assert ok.status_code == 204
    ask = client.get(
        "/sparql", params={"query": "ASK { <https://w3id.org/sdgkg/id/partner/t> ?p ?o }"}
    )
    assert ask.json()["boolean"] is True
    form = client.post(
        "/sparql",
        data={"update": "CLEAR GRAPH <https://w3id.org/sdgkg/graph/upload/t>"},
        headers={"authorization": "Bearer s3cret"},
    )
    assert form.status_code == 204


def test_updates_waiting_for_a_write_leave_every_query_worker_to_queries(
    make_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A replace holds the store's one write for 15-30 s at 1M triples. Updates sent meanwhile
    wait for it on the writer thread, not on query workers: queries are answered all along, and
    past MAX_QUEUED_WRITES waiting an update is refused with 503 at once, not held."""
    from sdgkg.execution import runner

    monkeypatch.setattr(runner, "MAX_QUEUED_WRITES", 2)
    client = make_client(update_token="s3cret", query_workers=2, query_timeout_s=3.0)
    store = client.app.state.sdgkg.store
    headers = {"content-type": "application/sparql-update", "authorization": "Bearer s3cret"}
    answers: dict[int, Any] = {}

    def insert(n: int) -> None:
        update = INSERT.replace("/partner/t>", f"/partner/t{n}>")
        answers[n] = client.post("/update", content=update, headers=headers)

    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s a ?class . ?s ?p ?o }"  # on a worker, not inline
    senders = [threading.Thread(target=insert, args=(n,)) for n in range(4)]
    with store._write_lock:  # as a replace that rebuilds the store holds it
        for sender in senders:
            sender.start()
            time.sleep(0.2)  # in this order: one running (waiting for the lock), two queued
        senders[3].join(timeout=5)
        refused = answers.get(3)
        queries = [client.get("/sparql", params={"query": count}) for _ in range(4)]
        waiting = sorted(answers)
    for sender in senders:
        sender.join(timeout=30)
    assert [q.status_code for q in queries] == [200] * 4
    assert refused is not None and refused.status_code == 503, refused
    assert refused.json()["error"] == "server busy"
    assert waiting == [3]  # the other three waited for the write to end
    assert [answers[n].status_code for n in range(3)] == [204] * 3
    for n in range(3):
        ask = f"ASK {{ <https://w3id.org/sdgkg/id/partner/t{n}> ?p ?o }}"
        assert client.get("/sparql", params={"query": ask}).json()["boolean"] is True


@pytest.mark.parametrize(
    "update",
    [
        "DROP GRAPH <https://w3id.org/sdgkg/graph/upload/missing>",
        "CLEAR GRAPH <https://w3id.org/sdgkg/graph/upload/missing>",
        "MOVE <https://w3id.org/sdgkg/graph/upload/missing> TO <https://w3id.org/sdgkg/graph/upload/t>",
    ],
)
def test_an_update_the_data_do_not_allow_is_a_409_that_changes_nothing(
    make_client: Any, update: str
) -> None:
    """SPARQL Update: DROP, CLEAR or MOVE of a graph that is not there fails unless SILENT. That
    is the client's request meeting the data, not the server failing: 409, and nothing changed."""
    client = make_client(update_token="s3cret")
    headers = {"content-type": "application/sparql-update", "authorization": "Bearer s3cret"}
    assert client.post("/update", content=INSERT, headers=headers).status_code == 204
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    before = client.get("/sparql", params={"query": count}).json()
    response = client.post("/update", content=update, headers=headers)
    assert response.status_code == 409
    body = response.json()
    assert body["error"] == "update conflicts with the data"
    assert "does not exist" in body["message"] and "SILENT" in body["message"]
    assert client.get("/sparql", params={"query": count}).json() == before
    silent = (
        update.replace("DROP GRAPH", "DROP SILENT GRAPH")
        .replace("CLEAR GRAPH", "CLEAR SILENT GRAPH")
        .replace("MOVE <", "MOVE SILENT <")
    )
    assert client.post("/update", content=silent, headers=headers).status_code == 204


def test_update_cannot_load_from_the_network(make_client: Any) -> None:
    client = make_client(update_token="s3cret")
    response = client.post(
        "/update",
        content="LOAD <http://127.0.0.1:9/x.ttl>",
        headers={"content-type": "application/sparql-update", "authorization": "Bearer s3cret"},
    )
    assert response.status_code == 403
    assert "LOAD" in response.json()["message"]


def _loopback_listener(hits: list[bytes]) -> int:
    import socket

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    server.settimeout(1.0)

    def accept() -> None:
        try:
            connection, _ = server.accept()
            hits.append(connection.recv(100))
            connection.close()
        except OSError:
            pass
        finally:
            server.close()

    threading.Thread(target=accept, daemon=True).start()
    return int(server.getsockname()[1])


def test_a_result_that_cannot_get_a_pipe_fails_at_once(
    make_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Out of descriptors, say: the client hears of it now, not at the deadline."""
    import time

    from sdgkg.execution import piped

    def no_pipe(flags: int) -> tuple[int, int]:
        raise OSError(24, "Too many open files")

    client = make_client(query_timeout_s=20)
    monkeypatch.setattr(piped.os, "pipe2", no_pipe)
    started = time.perf_counter()
    query = "SELECT * WHERE { ?s ?p ?o . ?s a ?type } LIMIT 5"  # not one pattern: a worker's
    response = client.get("/sparql", params={"query": query})
    assert time.perf_counter() - started < 5
    assert response.status_code == 503
    assert "Too many open files" in response.json()["message"]
