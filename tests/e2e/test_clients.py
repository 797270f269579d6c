"""Real clients against a real server: SPARQLWrapper, rdflib's SPARQLStore, httpx."""

from __future__ import annotations

import csv
import gzip
import io
from collections import Counter

import httpx
import pytest
from rdflib import BNode, Graph, Namespace, URIRef
from rdflib.namespace import RDF
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, TURTLE, XML, SPARQLWrapper

from tests.e2e.conftest import TOKEN, LiveServer
from tests.w3c.cases import (
    check_service_description,
    protocol_cases,
    run_case,
    service_description_cases,
)

pytestmark = pytest.mark.e2e

SDGKG = Namespace("https://w3id.org/sdgkg/ontology#")
GOALS = (
    "PREFIX sdgkg: <https://w3id.org/sdgkg/ontology#> "
    "SELECT ?goal WHERE { ?goal a sdgkg:Goal } ORDER BY ?goal"
)
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")


@pytest.mark.parametrize("return_format", [JSON, XML, CSV])
def test_sparqlwrapper_select(live_server: LiveServer, return_format: str) -> None:
    wrapper = SPARQLWrapper(live_server.endpoint)
    wrapper.setQuery(GOALS)
    wrapper.setReturnFormat(return_format)
    result = wrapper.query().convert()
    if return_format == JSON:
        goals = [b["goal"]["value"] for b in result["results"]["bindings"]]  # type: ignore[index]
    elif return_format == XML:
        goals = [n.firstChild.firstChild.data for n in result.getElementsByTagName("binding")]  # type: ignore[union-attr]
    else:
        goals = [row[0] for row in list(csv.reader(io.StringIO(result.decode())))[1:]]  # type: ignore[union-attr]
    assert len(goals) == 17


def test_sparqlwrapper_construct_into_a_graph(live_server: LiveServer) -> None:
    wrapper = SPARQLWrapper(live_server.endpoint)
    wrapper.setQuery(
        "CONSTRUCT { ?goal a <https://w3id.org/sdgkg/ontology#Goal> } "
        "WHERE { ?goal a <https://w3id.org/sdgkg/ontology#Goal> }"
    )
    wrapper.setReturnFormat(TURTLE)
    graph = Graph().parse(data=wrapper.query().convert(), format="turtle")
    assert len(graph) == 17
    wrapper.setReturnFormat(XML)  # RDF/XML (convert() would warn: it builds a ConjunctiveGraph)
    rdf_xml = wrapper.query().response.read()
    assert len(Graph().parse(data=rdf_xml, format="xml")) == 17


def test_sparqlwrapper_post(live_server: LiveServer) -> None:
    wrapper = SPARQLWrapper(live_server.endpoint)
    wrapper.setMethod("POST")
    wrapper.setQuery(GOALS)
    wrapper.setReturnFormat(JSON)
    assert len(wrapper.query().convert()["results"]["bindings"]) == 17  # type: ignore[index]


def test_rdflib_sparqlstore(live_server: LiveServer) -> None:
    graph = Graph(store=SPARQLStore(live_server.endpoint))
    rows = list(graph.query(GOALS))
    assert len(rows) == 17
    assert graph.query("ASK { ?s ?p ?o }").askAnswer is True
    assert (URIRef("https://w3id.org/sdgkg/id/goal/13"), RDF.type, SDGKG.Goal) in graph


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [
        ("text/turtle", "turtle"),
        ("application/ld+json", "json-ld"),
        ("application/n-triples", "nt"),
        ("application/rdf+xml", "xml"),
    ],
)
def test_dereferenced_iris_round_trip(live_server: LiveServer, accept: str, fmt: str) -> None:
    iri = "https://w3id.org/sdgkg/id/goal/13"
    response = httpx.get(live_server.url + "id/goal/13", headers={"accept": accept})
    assert response.status_code == 200
    assert response.headers["vary"].lower().startswith("accept")
    page = Graph().parse(
        data=response.content, format=fmt
    )  # JSON-LD fetches /context.jsonld from the server
    query = f"CONSTRUCT {{ <{iri}> ?p ?o }} WHERE {{ <{iri}> ?p ?o }}"
    own = Graph().parse(
        data=httpx.get(live_server.endpoint, params={"query": query}).content, format="turtle"
    )
    assert _ground(own) <= _ground(page)
    assert _blank_objects(own) <= _blank_objects(page)


def _ground(graph: Graph) -> set[tuple[object, object, object]]:
    return {t for t in graph if not isinstance(t[2], BNode)}


def _blank_objects(graph: Graph) -> Counter[tuple[object, object]]:
    """Blank nodes get new labels in each document (goal 13's Danish wording has a quotation)."""
    return Counter((s, p) for s, p, o in graph if isinstance(o, BNode))


def test_service_description_and_void_name_the_endpoint(live_server: LiveServer) -> None:
    sd = Graph().parse(
        data=httpx.get(live_server.endpoint, headers={"accept": "text/turtle"}).content,
        format="turtle",
    )
    for case, _ in service_description_cases():
        check_service_description(case, sd, live_server.endpoint)
    void = Graph().parse(
        data=httpx.get(live_server.url + ".well-known/void").content, format="turtle"
    )
    assert (None, VOID.sparqlEndpoint, URIRef(live_server.endpoint)) in void


def test_dump_has_the_triple_count_of_sdgkg_stats(live_server: LiveServer) -> None:
    listing = httpx.get(live_server.url + "dumps/").json()["dumps"]
    dump = next(d for d in listing if d["name"] == "sdgkg.nt.gz")
    response = httpx.get(dump["url"])
    graph = Graph().parse(data=gzip.decompress(response.content), format="nt")
    assert len(graph) == dump["triples"] == live_server.stats_triples


def test_conneg_over_http(live_server: LiveServer) -> None:
    for accept, expected in [
        ("text/csv", "text/csv"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        (
            "text/tab-separated-values;q=0.4, application/sparql-results+json",
            "application/sparql-results+json",
        ),
    ]:
        response = httpx.get(
            live_server.endpoint, params={"query": GOALS}, headers={"accept": accept}
        )
        assert response.headers["content-type"].split(";")[0] == expected


def test_harvesters_revalidate_with_304(live_server: LiveServer) -> None:
    """Through the real front (SPARQL) and the full app (VoID, dumps): a current copy is a 304."""
    for url, params in [
        (live_server.endpoint, {"query": GOALS}),
        (live_server.url + ".well-known/void", {}),
        (live_server.url + "dumps/", {}),
    ]:
        first = httpx.get(url, params=params)
        assert first.status_code == 200, url
        again = httpx.get(url, params=params, headers={"if-none-match": first.headers["etag"]})
        assert again.status_code == 304 and again.content == b"", url


def test_head_gives_the_headers_of_get_without_a_body(live_server: LiveServer) -> None:
    """Link checkers and harvesters ask HEAD first: the same status and headers, no body."""
    for params, accept in [({"query": GOALS}, "text/csv"), ({}, "text/turtle")]:
        get = httpx.get(live_server.endpoint, params=params, headers={"accept": accept})
        head = httpx.head(live_server.endpoint, params=params, headers={"accept": accept})
        assert head.status_code == get.status_code == 200
        assert head.headers["content-type"] == get.headers["content-type"]
        assert head.headers["etag"] == get.headers["etag"]
        assert head.content == b"" and get.content


def test_large_result_streams(live_server: LiveServer) -> None:
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    with httpx.stream(
        "GET", live_server.endpoint, params={"query": query, "format": "tsv"}
    ) as response:
        assert response.status_code == 200
        assert "content-length" not in response.headers  # chunked, not buffered
        lines = sum(chunk.count(b"\n") for chunk in response.iter_bytes())
    assert lines == live_server.stats_triples + 1 or lines > 1000


def test_timeout_mid_stream_breaks_the_response(live_server: LiveServer) -> None:
    """A deadline passing after the headers went out must not look like a complete answer."""
    query = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"  # 10^8 rows: streams until the 2 s deadline
    with (
        pytest.raises(httpx.HTTPError),
        httpx.stream(
            "GET", live_server.endpoint, params={"query": query, "format": "tsv"}, timeout=30
        ) as response,
    ):
        for _ in response.iter_bytes():
            pass
    assert httpx.get(live_server.url + "health").status_code == 200


def test_update_over_http(live_server: LiveServer) -> None:
    update = (
        "INSERT DATA { GRAPH <https://w3id.org/sdgkg/graph/upload/e2e> { "
        "<https://w3id.org/sdgkg/id/partner/e2e> "
        '<http://www.w3.org/2000/01/rdf-schema#label> "E2E"@en'
        " } }"
    )
    assert (
        httpx.post(
            live_server.url + "update",
            content=update,
            headers={"content-type": "application/sparql-update"},
        ).status_code
        == 401
    )
    done = httpx.post(
        live_server.url + "update",
        content=update,
        headers={"content-type": "application/sparql-update", "authorization": f"Bearer {TOKEN}"},
    )
    assert done.status_code == 204
    page = httpx.get(live_server.url + "id/partner/e2e.ttl")
    assert page.status_code == 200 and "E2E" in page.text
    httpx.post(
        live_server.url + "update",
        content="DROP GRAPH <https://w3id.org/sdgkg/graph/upload/e2e>",
        headers={"content-type": "application/sparql-update", "authorization": f"Bearer {TOKEN}"},
    )


QUERY_CASES = [c for c in protocol_cases() if not c.is_update]


@pytest.mark.parametrize("case", QUERY_CASES, ids=[c.name for c in QUERY_CASES])
def test_w3c_protocol_query_cases_live(
    live_server: LiveServer, case: object, w3c_live: str
) -> None:
    with httpx.Client(base_url=w3c_live.rstrip("/")) as client:
        run_case(case, client)  # type: ignore[arg-type]
