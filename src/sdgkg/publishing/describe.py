"""What a Linked Data page says about one resource: https://www.w3.org/TR/cooluris/

The description of an IRI is its own triples (with the blank nodes they lead to, such as the
qualified derivations of curated records), the labels of what it links to, and the links that
point at it (capped at ``MAX_INBOUND``) with their subjects' labels. It is pure data: the HTTP
layer only picks the representation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from pyoxigraph import BlankNode, Literal, NamedNode, QueryTriples, Triple

from sdgkg.store.base import GraphStore

MAX_INBOUND = 500
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS_PREF_LABEL = "http://www.w3.org/2004/02/skos/core#prefLabel"
DCTERMS_TITLE = "http://purl.org/dc/terms/title"
LABEL_PROPERTIES = (SKOS_PREF_LABEL, RDFS_LABEL, DCTERMS_TITLE)
LANGUAGE_FALLBACK = ("en", "da", "")  # one rule everywhere: English, then Danish, then untagged

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
    """The triples of a resource page, and views of them for HTML."""

    iri: str
    triples: list[Triple]
    own: list[Triple] = field(default_factory=list)
    inbound: list[Triple] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.triples:  # nothing to sort; and the IRI may be invalid (describe())
            return
        this = NamedNode(self.iri)
        self.own = [t for t in self.triples if t.subject == this]
        self.inbound = [t for t in self.triples if t.object == this and t.subject != this]

    @property
    def exists(self) -> bool:
        return bool(self.own)

    def labels(self) -> dict[str, str]:
        """IRI → the best label among these triples, by the one language-fallback rule."""
        return best_labels(self.triples)

    def title(self) -> str:
        return self.labels().get(self.iri) or self.iri.rstrip("/").rsplit("/", 1)[-1]


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


def best_labels(triples: Iterable[Triple]) -> dict[str, str]:
    """For each subject with labels, the label chosen by ``LANGUAGE_FALLBACK``.

    >>> x, label = NamedNode("http://x"), NamedNode(RDFS_LABEL)
    >>> t = [Triple(x, label, Literal("kommune", language="da")),
    ...      Triple(x, label, Literal("municipality", language="en"))]
    >>> best_labels(t)
    {'http://x': 'municipality'}
    """
    ranked: dict[str, tuple[int, int, str]] = {}
    for triple in triples:
        if not isinstance(triple.object, Literal) or not isinstance(triple.subject, NamedNode):
            continue
        if triple.predicate.value not in LABEL_PROPERTIES:
            continue
        rank = (
            _language_rank(triple.object.language or ""),
            LABEL_PROPERTIES.index(triple.predicate.value),
            triple.object.value,
        )
        key = triple.subject.value
        if key not in ranked or rank < ranked[key]:
            ranked[key] = rank
    return {key: rank[2] for key, rank in ranked.items()}


def group_by_predicate(
    triples: Iterable[Triple], *, by_subject: bool = False
) -> dict[str, list[NamedNode | BlankNode | Literal]]:
    """Predicate IRI → objects (or subjects, for inbound links), in a stable order."""
    groups: dict[str, list[NamedNode | BlankNode | Literal]] = {}
    for triple in triples:
        value = triple.subject if by_subject else triple.object
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


def _language_rank(language: str) -> int:
    base = language.split("-")[0].lower()
    return LANGUAGE_FALLBACK.index(base) if base in LANGUAGE_FALLBACK else len(LANGUAGE_FALLBACK)
