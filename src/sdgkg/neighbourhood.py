"""The part of the store that new records need for validation: what they refer to.

Validating twenty records against a million-triple store must not read the store into rdflib
(FACTS.md: 19.7 s): we fetch only the types, labels and broader links of the IRIs they mention.
"""

from __future__ import annotations

from collections.abc import Iterable

from pyoxigraph import QueryTriples, Triple

from sdgkg.store.base import GraphStore

_BATCH = 400
_NEIGHBOURHOOD = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
CONSTRUCT {{ ?node a ?type . ?node rdfs:label ?label . ?node skos:broader ?broader . }}
WHERE {{
  VALUES ?node {{ {values} }}
  ?node a ?type .
  OPTIONAL {{ ?node rdfs:label ?label }}
  OPTIONAL {{ ?node skos:broader ?broader }}
}}
"""
_UNRESOLVED = """
SELECT DISTINCT ?target WHERE {{
  GRAPH <{graph}> {{ ?record ?property ?target }}
  FILTER(isIRI(?target) && STRSTARTS(STR(?target), "{records}"))
  FILTER NOT EXISTS {{ ?target a ?type }}
}} ORDER BY ?target LIMIT 100
"""


def store_neighbourhood(store: GraphStore, iris: Iterable[str]) -> list[Triple]:
    """Type, label and broader triples of each IRI that the store knows."""
    ordered = sorted(set(iris))
    triples: list[Triple] = []
    for start in range(0, len(ordered), _BATCH):
        values = " ".join(f"<{iri}>" for iri in ordered[start : start + _BATCH])
        result = store.query(_NEIGHBOURHOOD.format(values=values))
        if isinstance(result, QueryTriples):
            triples.extend(result)
    return triples


def unresolved_references(store: GraphStore, graph: str, records_prefix: str) -> list[str]:
    """Record IRIs that ``graph`` refers to but that no graph (itself included) gives a type."""
    visible = [*store.graph_names(), graph]
    result = store.query(
        _UNRESOLVED.format(graph=graph, records=records_prefix),
        default_graphs=visible,
        named_graphs=[graph],
    )
    return [str(row["target"].value) for row in result]  # type: ignore[index,union-attr]
