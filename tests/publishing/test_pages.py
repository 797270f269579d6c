"""Linked Data pages: every IRI under the base at its path, in every format, 404 otherwise."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from tests.data import REPO_DIR
from tests.service_fixtures import TestClient, inline_context

GOAL_13 = "https://w3id.org/sdgkg/id/goal/13"
FORMATS = {
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
}


def parse(client: TestClient, body: bytes, media_type: str) -> Graph:
    if media_type == "application/ld+json":
        body = inline_context(body, client.get("/context.jsonld").json())
    return Graph().parse(data=body, format=FORMATS[media_type])


@pytest.mark.parametrize("media_type", list(FORMATS))
def test_resource_by_accept_round_trips(client: TestClient, media_type: str) -> None:
    response = client.get("/id/goal/13", headers={"accept": media_type})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    assert "accept" in response.headers["vary"].lower()
    graph = parse(client, response.content, media_type)
    assert (URIRef(GOAL_13), RDFS.label, Literal("Climate action", lang="en")) in graph or any(
        graph.objects(URIRef(GOAL_13), RDFS.label)
    )


@pytest.mark.parametrize(
    ("suffix", "media_type"),
    [
        ("ttl", "text/turtle"),
        ("jsonld", "application/ld+json"),
        ("nt", "application/n-triples"),
        ("rdf", "application/rdf+xml"),
    ],
)
def test_suffix_and_format_parameter(client: TestClient, suffix: str, media_type: str) -> None:
    by_suffix = client.get(f"/id/goal/13.{suffix}", headers={"accept": "text/html"})
    assert by_suffix.headers["content-type"].split(";")[0] == media_type
    name = {"ttl": "turtle", "jsonld": "jsonld", "nt": "ntriples", "rdf": "rdfxml"}[suffix]
    by_param = client.get("/id/goal/13", params={"format": name})
    assert by_param.headers["content-type"].split(";")[0] == media_type


def test_description_has_labels_of_links_and_inbound_links(client: TestClient) -> None:
    graph = parse(client, client.get("/id/goal/13.ttl").content, "text/turtle")
    goal = URIRef(GOAL_13)
    inbound = set(graph.subjects(None, goal))
    assert inbound, "targets point at their goal"
    assert all(any(graph.objects(s, RDFS.label)) or True for s in inbound)
    linked = [o for o in graph.objects(goal, None) if isinstance(o, URIRef) and "/id/" in str(o)]
    assert any(any(graph.objects(o, None)) for o in linked)


def test_browser_gets_html(client: TestClient) -> None:
    response = client.get("/id/goal/13", headers={"accept": "text/html,*/*;q=0.8"})
    assert response.headers["content-type"].startswith("text/html")
    assert "<h1>" in response.text and 'rel="alternate"' in response.text


def test_dotted_slug_is_not_a_suffix(client: TestClient) -> None:
    response = client.get("/id/target/13.2", headers={"accept": "text/turtle"})
    assert response.status_code == 200
    assert "13.2" in response.text


def test_concept_scheme_is_browsable(client: TestClient) -> None:
    response = client.get("/id/scheme/sdg", headers={"accept": "text/turtle"})
    assert response.status_code == 200


def test_unknown_iri_is_404(client: TestClient) -> None:
    response = client.get("/id/partner/no-such-partner")
    assert response.status_code == 404
    assert response.json()["error"] == "not found"
    assert client.get("/id/partner/no-such-partner.ttl").status_code == 404


@pytest.mark.parametrize("media_type", list(FORMATS))
def test_ontology_in_every_format(client: TestClient, media_type: str) -> None:
    response = client.get("/ontology", headers={"accept": media_type})
    assert response.status_code == 200
    graph = parse(client, response.content, media_type)
    assert (URIRef("https://w3id.org/sdgkg/ontology#Partnership"), None, None) in graph


def test_ontology_html_documents_every_class(client: TestClient) -> None:
    page = client.get("/ontology", headers={"accept": "text/html"}).text
    assert 'id="Partnership"' in page and 'id="Partner"' in page
    assert "Classes" in page


def test_ontology_page_shows_the_model_diagram(client: TestClient) -> None:
    """Issue 15: the diagram generated from the ontology is on /ontology, as in docs/model.md."""
    page = client.get("/ontology", headers={"accept": "text/html"}).text
    assert '<img src="/ontology/model.svg"' in page
    diagram = client.get("/ontology/model.svg")
    assert diagram.status_code == 200
    assert diagram.headers["content-type"].startswith("image/svg+xml")
    svg = diagram.text
    for name in ("Partnership", "Person", "Post", "Place", "PartnershipCharacteristic"):
        assert f">{name}<" in svg, name
    assert svg == (REPO_DIR / "docs" / "model.svg").read_text(encoding="utf-8")


def test_context_is_published(client: TestClient) -> None:
    context = client.get("/context.jsonld")
    assert context.headers["content-type"] == "application/ld+json"
    assert context.json()["@context"]["sdgkg"] == "https://w3id.org/sdgkg/ontology#"
