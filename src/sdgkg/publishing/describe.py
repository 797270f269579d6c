"""What a Linked Data page says about one resource: https://www.w3.org/TR/cooluris/

The description of an IRI is its own triples (with the blank nodes they lead to, such as the
qualified derivations of curated records), the labels of what it links to, and the links that
point at it (capped at ``MAX_INBOUND``) with their subjects' labels. It is pure data: the HTTP
layer picks the representation, and ``sdgkg.web`` renders the HTML.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from pyoxigraph import BlankNode, Literal, NamedNode, QueryTriples, Triple

from sdgkg.store.base import GraphStore

MAX_INBOUND = 500

_DESCRIBE = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
CONSTRUCT {
  $this ?p ?o . ?o ?bp ?bo . ?o ?lp ?ol . ?p rdfs:label ?pl .
  ?s ?ip $this . ?s ?slp ?sl . ?ip rdfs:label ?ipl .
} WHERE {
  { $this ?p ?o .
    OPTIONAL { ?p rdfs:label ?pl }
    OPTIONAL { VALUES ?lp { rdfs:label skos:prefLabel } ?o ?lp ?ol }
    OPTIONAL { FILTER(isBlank(?o)) ?o ?bp ?bo }
  } UNION {
    { SELECT DISTINCT ?s ?ip WHERE { ?s ?ip $this } LIMIT %d }
    OPTIONAL { ?ip rdfs:label ?ipl }
    OPTIONAL { VALUES ?slp { rdfs:label skos:prefLabel } ?s ?slp ?sl }
  }
}
"""


@dataclass
class Description:
    """The triples of a resource page; ``own`` are those whose subject it is."""

    iri: str
    triples: list[Triple]
    own: list[Triple] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.triples:  # nothing to sort; and the IRI may be invalid (describe())
            return
        this = NamedNode(self.iri)
        self.own = [t for t in self.triples if t.subject == this]

    @property
    def exists(self) -> bool:
        return bool(self.own)


def describe(store: GraphStore, iri: str) -> Description:
    """The description of ``iri`` over the union graph; ``exists`` is False if it has no triples."""
    try:
        node = NamedNode(iri)  # validates the IRI, so the query text below is well formed
    except ValueError:  # e.g. GET /%3C: no such IRI can be in the store
        return Description(iri, [])
    query = (_DESCRIBE % MAX_INBOUND).replace("$this", str(node))
    result = store.query(query)
    triples = list(result) if isinstance(result, QueryTriples) else []
    return Description(iri, triples)


def is_described(store: GraphStore, iri: str) -> bool:
    """Whether ``iri`` is the subject of a triple: what ``describe(...).exists`` says, cheaply."""
    try:
        node = NamedNode(iri)
    except ValueError:
        return False
    return bool(store.query(f"ASK {{ {node} ?p ?o }}"))


def group_by_predicate(
    triples: Iterable[Triple],
) -> dict[str, list[NamedNode | BlankNode | Literal]]:
    """Predicate IRI → objects, in a stable order."""
    groups: dict[str, list[NamedNode | BlankNode | Literal]] = {}
    for triple in triples:
        value = triple.object
        groups.setdefault(triple.predicate.value, []).append(value)  # type: ignore[arg-type]
    return {key: sorted(values, key=str) for key, values in sorted(groups.items())}


def literal_values(triples: Iterable[Triple], subject: str, predicate: str) -> Mapping[str, str]:
    """Language tag → value of one subject's literals for one predicate."""
    this = NamedNode(subject)
    return {
        t.object.language or "": t.object.value
        for t in triples
        if t.subject == this and t.predicate.value == predicate and isinstance(t.object, Literal)
    }
