"""The part of the store that new records need for validation: what they refer to.

Validating twenty records against a million-triple store must not read the store into rdflib
(FACTS.md: 19.7 s): we fetch only the types, labels, broader links and concept schemes of the IRIs
they mention (the scheme: S07 checks that a typology facet's value is a concept of that facet's
scheme; a partnership's initiatives: S08 checks that an initiative and its partnership agree).
"""

from __future__ import annotations

from collections.abc import Iterable

from pyoxigraph import NamedNode, QueryTriples, Triple

from sdgkg.store.base import GraphStore

_BATCH = 400
_NEIGHBOURHOOD = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
CONSTRUCT {{
  ?node a ?type . ?node rdfs:label ?label . ?node skos:broader ?broader .
  ?node skos:inScheme ?scheme . ?node ?hasInitiative ?initiative .
}}
WHERE {{
  VALUES ?node {{ {values} }}
  ?node a ?type .
  OPTIONAL {{ ?node rdfs:label ?label }}
  OPTIONAL {{ ?node skos:broader ?broader }}
  OPTIONAL {{ ?node skos:inScheme ?scheme }}
  OPTIONAL {{
    ?node ?hasInitiative ?initiative .
    FILTER(STRENDS(STR(?hasInitiative), "/ontology#hasInitiative"))  # under any base IRI
  }}
}}
"""
_UNRESOLVED = """
SELECT ?target WHERE {{
  VALUES ?property {{ {properties} }}
  GRAPH <{graph}> {{ ?record ?property ?target }}
  MINUS {{ GRAPH ?any {{ ?target a ?type }} }}
}} LIMIT 100
"""
_REFERENCE_PROPERTIES = """
PREFIX owl: <http://www.w3.org/2002/07/owl#>
SELECT DISTINCT ?property WHERE {{
  ?property a owl:ObjectProperty . FILTER(STRSTARTS(STR(?property), "{ontology}"))
}}
"""
# Reused properties whose values are records of ours.
_REUSED_REFERENCES = (
    "http://www.w3.org/ns/org#member",
    "http://www.w3.org/ns/org#role",
    "http://www.w3.org/ns/org#organization",
    "http://www.w3.org/ns/org#hasMembership",
    "http://www.w3.org/ns/org#hasMember",
    "http://www.w3.org/ns/prov#wasDerivedFrom",
    "http://www.w3.org/ns/prov#entity",
    "http://www.w3.org/2004/02/skos/core#broader",
)


def store_neighbourhood(store: GraphStore, iris: Iterable[str]) -> list[Triple]:
    """Type, label, broader and scheme triples of each IRI that the store knows."""
    ordered = sorted(set(iris))
    triples: list[Triple] = []
    for start in range(0, len(ordered), _BATCH):
        values = " ".join(f"<{iri}>" for iri in ordered[start : start + _BATCH])
        result = store.query(_NEIGHBOURHOOD.format(values=values))
        if isinstance(result, QueryTriples):
            triples.extend(result)
    return triples


_EXISTING = """
SELECT ?s ?p ?o WHERE {{
  VALUES ?record {{ {values} }}
  GRAPH ?g {{
    {{ ?record ?p ?o . BIND(?record AS ?s) }}
    UNION
    {{ ?record ?link ?s . FILTER(isBlank(?s)) ?s ?p ?o }}
  }}
  FILTER(?g NOT IN ({excluded}))
}}
"""


def existing_descriptions(
    store: GraphStore, records: Iterable[str], *, replaced_graphs: Iterable[str] = ()
) -> list[Triple]:
    """What the store already says about records a load extends (and their blank nodes).

    A file that adds one triple to a record in another graph must be validated with the rest of
    that record; graphs the load replaces are left out, since their triples are going away.
    """
    from pyoxigraph import QuerySolutions

    ordered = sorted(set(records))
    excluded = ", ".join(f"<{g}>" for g in replaced_graphs) or "<urn:x-sdgkg:none>"
    triples: list[Triple] = []
    for start in range(0, len(ordered), _BATCH):
        values = " ".join(f"<{iri}>" for iri in ordered[start : start + _BATCH])
        result = store.query(_EXISTING.format(values=values, excluded=excluded))
        if isinstance(result, QuerySolutions):
            triples.extend(Triple(row["s"], row["p"], row["o"]) for row in result)
    return triples


def iri_objects(triples: Iterable[Triple]) -> set[str]:
    """The IRIs ``triples`` point to: what an existing description needs in the neighbourhood."""
    return {t.object.value for t in triples if isinstance(t.object, NamedNode)}


def unresolved_references(store: GraphStore, graph: str, base_iri: str) -> list[str]:
    """Record IRIs that ``graph`` refers to (through a reference property) but no graph types.

    Only reference properties are followed: the ontology's object properties and the reused
    ones above. MINUS is a hash anti-join in Oxigraph: 0.75 s on a million triples, where
    FILTER NOT EXISTS took 4.7 s and a test of every IRI object more than twice that.
    """
    ontology = store.query(_REFERENCE_PROPERTIES.format(ontology=base_iri + "ontology#"))
    properties = {str(row["property"].value) for row in ontology}  # type: ignore[union-attr]
    values = " ".join(f"<{p}>" for p in sorted(properties.union(_REUSED_REFERENCES)))
    query = _UNRESOLVED.format(properties=values, graph=graph)
    result = store.query(query, include_pending=True)
    return sorted({str(row["target"].value) for row in result})  # type: ignore[union-attr]
