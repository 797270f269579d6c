"""SPARQL 1.1 Service Description of the endpoint: https://www.w3.org/TR/sparql11-service-description/

Returned by ``GET /sparql`` without a query. It states the one thing users of quad stores most
often get wrong: the default graph is the union of all named graphs.
"""

from __future__ import annotations

from collections.abc import Sequence

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from sdgkg.vocab import DCTERMS, FORMATS, RDF_TYPE, SD

UNION_NOTE = (
    "The default graph is the union of all named graphs: a query without FROM or GRAPH sees "
    "every loaded file at once. Each loaded file is also its own named graph (see sd:namedGraph); "
    "use GRAPH, FROM / FROM NAMED, or the default-graph-uri / named-graph-uri parameters to "
    "query some of them."
)

_RESULT_FORMATS = (
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "RDF_XML",
    "JSON-LD",
    "N-Quads",
    "TriG",
)


def service_description(
    endpoint_url: str,
    graph_names: Sequence[str],
    *,
    federated: bool,
    update_url: str | None,
) -> list[Triple]:
    """The triples describing the query endpoint at ``endpoint_url``."""
    service = BlankNode()
    dataset = BlankNode()
    default_graph = BlankNode()
    triples = [
        Triple(service, RDF_TYPE, SD("Service")),
        Triple(service, SD("endpoint"), NamedNode(endpoint_url)),
        Triple(service, SD("supportedLanguage"), SD("SPARQL11Query")),
        Triple(service, SD("feature"), SD("UnionDefaultGraph")),
        Triple(service, SD("feature"), SD("EmptyGraphs")),
        Triple(
            service,
            SD("defaultEntailmentRegime"),
            NamedNode("http://www.w3.org/ns/entailment/Simple"),
        ),
        Triple(service, DCTERMS("title"), Literal("sdgkg SPARQL endpoint", language="en")),
        Triple(service, DCTERMS("description"), Literal(UNION_NOTE, language="en")),
        Triple(service, SD("defaultDataset"), dataset),
        Triple(dataset, RDF_TYPE, SD("Dataset")),
        Triple(dataset, SD("defaultGraph"), default_graph),
        Triple(default_graph, RDF_TYPE, SD("Graph")),
        Triple(default_graph, DCTERMS("description"), Literal(UNION_NOTE, language="en")),
    ]
    triples += [Triple(service, SD("resultFormat"), FORMATS(name)) for name in _RESULT_FORMATS]
    if federated:
        triples.append(Triple(service, SD("feature"), SD("BasicFederatedQuery")))
    if update_url:
        triples.append(
            Triple(
                service,
                DCTERMS("description"),
                Literal(
                    f"SPARQL 1.1 Update is accepted at {update_url} with a bearer token.",
                    language="en",
                ),
            )
        )
    for name in graph_names:
        named = BlankNode()
        triples += [
            Triple(dataset, SD("namedGraph"), named),
            Triple(named, RDF_TYPE, SD("NamedGraph")),
            Triple(named, SD("name"), NamedNode(name)),
        ]
    return triples
