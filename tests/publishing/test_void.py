"""VoID + DCAT description and the dumps."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF

from sdgkg.publishing.void import HarvestCache
from sdgkg.store.base import union_triples_count
from sdgkg.store.embedded import EmbeddedStore
from tests.service_fixtures import TestClient

VOID = Namespace("http://rdfs.org/ns/void#")


def void_graph(client: TestClient) -> Graph:
    response = client.get("/.well-known/void", headers={"accept": "text/turtle"})
    assert response.status_code == 200
    return Graph().parse(data=response.content, format="turtle")


def test_void_names_endpoint_counts_dumps_and_linksets(
    client: TestClient, api_store: EmbeddedStore
) -> None:
    # VoID answers at once and lists the dumps once they are written: wait for them (run alone,
    # this is the first request; in the whole suite others have waited already).
    state = client.app.state.sdgkg  # type: ignore[attr-defined]
    client.app.state.harvest.dumps.wait(state.data_version)  # type: ignore[attr-defined]
    graph = void_graph(client)
    dataset = next(graph.subjects(RDF.type, VOID.Dataset))
    assert (dataset, VOID.sparqlEndpoint, URIRef("http://testserver/sparql")) in graph
    assert graph.value(dataset, VOID.triples).toPython() == union_triples_count(api_store)
    assert graph.value(dataset, DCTERMS.license) is not None
    assert graph.value(dataset, DCTERMS.modified) is not None
    assert graph.value(dataset, DCTERMS.publisher) is not None
    assert len(list(graph.objects(dataset, VOID.dataDump))) == 2
    assert any(graph.objects(dataset, VOID.classPartition))
    assert any(graph.objects(dataset, VOID.propertyPartition))
    assert URIRef("https://w3id.org/sdgkg/ontology#") in set(
        graph.objects(dataset, VOID.vocabulary)
    )
    targets = {graph.value(ls, VOID.objectsTarget) for ls in graph.subjects(RDF.type, VOID.Linkset)}
    assert URIRef("http://metadata.un.org/sdg/") in targets
    assert URIRef("http://www.wikidata.org/entity/") in targets
    assert any(graph.subjects(RDF.type, DCAT.DataService))


def test_dump_downloads_with_advertised_size_and_checksum(
    client: TestClient, api_store: EmbeddedStore
) -> None:
    listing = client.get("/dumps/").json()["dumps"]
    names = {d["name"] for d in listing}
    assert names == {"sdgkg.nt.gz", "sdgkg.ttl.gz"}
    for entry in listing:
        response = client.get(f"/dumps/{entry['name']}")
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/gzip"
        assert len(response.content) == entry["bytes"]
        assert hashlib.sha256(response.content).hexdigest() == entry["sha256"]
        fmt = "nt" if entry["name"].endswith(".nt.gz") else "turtle"
        graph = Graph().parse(data=gzip.decompress(response.content), format=fmt)
        assert len(graph) == entry["triples"] == union_triples_count(api_store)
    graph = void_graph(client)
    sizes = {o.toPython() for o in graph.objects(None, DCAT.byteSize)}
    assert {d["bytes"] for d in listing} <= sizes
    assert Literal(
        listing[0]["sha256"], datatype=URIRef("http://www.w3.org/2001/XMLSchema#hexBinary")
    ) in set(graph.objects())


def test_dumps_are_rebuilt_after_an_update(make_client: object) -> None:
    client = make_client(update_token="t")  # type: ignore[operator]
    before = client.get("/dumps/").json()["dumps"][0]
    response = client.post(
        "/update",
        content=(
            "INSERT DATA { GRAPH <https://w3id.org/sdgkg/graph/upload/x> { "
            "<https://w3id.org/sdgkg/id/partner/x> "
            '<http://www.w3.org/2000/01/rdf-schema#label> "X"@en'
            " } }"
        ),
        headers={"content-type": "application/sparql-update", "authorization": "Bearer t"},
    )
    assert response.status_code == 204
    harvest = client.app.state.harvest  # type: ignore[attr-defined]
    harvest.dumps.wait(client.app.state.sdgkg.data_version)  # type: ignore[attr-defined]
    after = client.get("/dumps/").json()["dumps"][0]
    assert after["triples"] == before["triples"] + 1
    assert after["sha256"] != before["sha256"]


def test_an_older_versions_dump_outlives_its_replacement_for_a_grace(
    make_client: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A request that chose the old dumps just before the new ones were served opens its file a
    moment later: the old files stay for ``RETIRED_DUMPS_KEPT_S``, then go (a file removed at
    once made that request a 500)."""
    import time

    from sdgkg.publishing import void

    monkeypatch.setattr(void, "RETIRED_DUMPS_KEPT_S", 1.5)
    client = make_client(update_token="t")  # type: ignore[operator]
    harvest = client.app.state.harvest  # type: ignore[attr-defined]
    state = client.app.state.sdgkg  # type: ignore[attr-defined]
    old = harvest.dumps.wait(state.data_version).files[0].path
    update = 'INSERT DATA { GRAPH <urn:x:g> { <urn:x:s> <urn:x:p> "grace" } }'
    headers = {"content-type": "application/sparql-update", "authorization": "Bearer t"}
    assert client.post("/update", content=update, headers=headers).status_code == 204
    new = harvest.dumps.wait(state.data_version).files[0].path
    assert new != old
    time.sleep(0.3)  # the old version is retired just after the new one is served
    assert old.exists()  # the request that chose it still finds it
    deadline = time.monotonic() + 10
    while old.parent.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not old.parent.exists() and new.exists()


def test_unknown_dump_is_404(client: TestClient) -> None:
    assert client.get("/dumps/nothing.gz").status_code == 404


def test_void_documents_are_rendered_once_per_version(tmp_path: Path) -> None:
    """Issue 18: a VoID request looks its document up; a new key (version, dumps, address,
    representation) renders again, and the kept documents stay few."""
    cache = HarvestCache(tmp_path, EmbeddedStore(tmp_path / "store"))
    rendered: list[int] = []

    def render(n: int) -> bytes:
        rendered.append(n)
        return str(n).encode()

    assert cache.document(("v1",), lambda: render(1)) == b"1"
    assert cache.document(("v1",), lambda: render(2)) == b"1"
    assert cache.document(("v2",), lambda: render(3)) == b"3"
    assert rendered == [1, 3]
    for n in range(100):
        cache.document((n,), lambda: render(0))
    assert len(cache._documents) <= 32
