"""What the pages read from the store: labels, kinds and SDG numbers of a batch of IRIs.

Each page asks for the IRIs it shows in one query with a ``VALUES`` block, rather than one query
per link, so a page costs a handful of queries whatever its size.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from pyoxigraph import BlankNode, Literal, NamedNode, QuerySolutions

from sdgkg.store.base import GraphStore, QueryResult
from sdgkg.web.i18n import pick_label

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
ORG = "http://www.w3.org/ns/org#"
PROV = "http://www.w3.org/ns/prov#"
DCTERMS = "http://purl.org/dc/terms/"
SCHEMA = "https://schema.org/"

Term = NamedNode | BlankNode | Literal

PREFIXES = f"""PREFIX rdfs: <{RDFS}>
PREFIX skos: <{SKOS}>
PREFIX org: <{ORG}>
PREFIX prov: <{PROV}>
PREFIX dcterms: <{DCTERMS}>
PREFIX schema: <{SCHEMA}>
"""


def ontology_prefix(base_iri: str) -> str:
    return f"PREFIX sdgkg: <{base_iri}ontology#>\n"


def solutions(result: QueryResult) -> QuerySolutions:
    if not isinstance(result, QuerySolutions):
        raise TypeError("expected a SELECT result")
    return result


def iri_values(iris: Iterable[str]) -> str:
    """A ``VALUES`` body of IRIs; IRIs come from the store, so they are already valid."""
    return " ".join(f"<{iri}>" for iri in sorted(set(iris)) if _safe_iri(iri))


def is_true(term: Term | None) -> bool:
    """Whether a bound boolean is true: Virtuoso 7.2 answers ``BIND(true AS ?x)`` with
    ``"1"^^xsd:integer``, the other engines with ``"true"^^xsd:boolean``."""
    return term is not None and term.value in ("true", "1")


def subclass_values(store: GraphStore, base_iri: str, names: Iterable[str]) -> str:
    """``VALUES (?class ?top) {…}``: each sdgkg class in ``names`` as ?top, with itself and every
    class under it as ?class, read from the store first. Queries join ``?x a ?class`` to it, not
    ``?x a/rdfs:subClassOf* ?top``: Virtuoso 7.2 loses rows when a ``*`` path is joined with
    other patterns (openlink/virtuoso-opensource#127; tests/remote/test_web_pages_remote.py)."""
    return class_values(subclass_pairs(store, base_iri, names))


def class_values(pairs: Iterable[tuple[str, str]]) -> str:
    """``VALUES (?class ?top) {…}`` of (class, top) pairs."""
    rows = " ".join(f"(<{c}> <{top}>)" for c, top in pairs)
    return f"VALUES (?class ?top) {{ {rows} }}"


def subclass_pairs(store: GraphStore, base_iri: str, names: Iterable[str]) -> list[tuple[str, str]]:
    """The (class, top) pairs of ``subclass_values``, sorted."""
    # A constant end per branch: Virtuoso cannot start a transitive path at a VALUES variable.
    branches = " UNION ".join(
        f"{{ ?class rdfs:subClassOf* sdgkg:{name} BIND(sdgkg:{name} AS ?top) }}" for name in names
    )
    query = PREFIXES + ontology_prefix(base_iri) + f"SELECT ?class ?top WHERE {{ {branches} }}"
    return sorted(
        {
            (row["class"].value, row["top"].value)
            for row in solutions(store.query(query))
            if isinstance(row["class"], NamedNode) and _safe_iri(row["class"].value)
        }
    )


def goal_of(concept: str, goal: str) -> str:
    """SPARQL binding ``goal`` to the SDG goal that ``concept`` (bound) is, or is a target or
    an indicator of: one or two fixed skos:broader steps, the depth of the SDG scheme, since
    Virtuoso 7.2 loses rows of a joined ``skos:broader*`` (see ``subclass_values``)."""
    return (
        f"{{ {concept} a sdgkg:Goal BIND({concept} AS {goal}) }} "
        f"UNION {{ {concept} skos:broader {goal} . {goal} a sdgkg:Goal }} "
        f"UNION {{ {concept} skos:broader/skos:broader {goal} . {goal} a sdgkg:Goal }}"
    )


def _safe_iri(iri: str) -> bool:
    return not any(ch in iri for ch in '<>"{}|^`\\ \n\t')


@dataclass
class Described:
    """Labels, kinds and SDG notations of the IRIs a page shows."""

    labels: dict[str, dict[str, str]] = field(default_factory=dict)  # iri -> {lang: label}
    kinds: dict[str, set[str]] = field(default_factory=dict)  # iri -> class IRIs
    notations: dict[str, str] = field(default_factory=dict)  # iri -> "13.2"

    def label(self, iri: str, lang: str) -> str:
        return pick_label(self.labels.get(iri, {}), lang, iri)

    def label_lang(self, iri: str, lang: str) -> str | None:
        """The language tag of the label ``label`` picks, for a ``lang`` attribute."""
        labels = self.labels.get(iri, {})
        chosen = self.label(iri, lang)
        return next((tag for tag, value in labels.items() if value == chosen and tag), None)

    def has_kind(self, iri: str, *class_iris: str) -> bool:
        return bool(self.kinds.get(iri, set()) & set(class_iris))

    def goal_number(self, iri: str) -> str | None:
        """``13`` for goal 13, target 13.2 or indicator 13.2.1; None for anything else.

        Learning-city concepts have notations like ``2.6`` too: only SDG concepts get a goal.
        """
        kinds = self.kinds.get(iri, set())
        if not any(kind.endswith(_SDG_KINDS) for kind in kinds):
            return None
        notation = self.notations.get(iri)
        if not notation:
            return None
        number = notation.split(".")[0]
        return number if number.isdigit() and 1 <= int(number) <= 17 else None


_SDG_KINDS = ("ontology#Goal", "ontology#Target", "ontology#Indicator")


def describe_iris(store: GraphStore, iris: Iterable[str]) -> Described:
    """Fetch labels (rdfs:label, else skos:prefLabel), kinds and notations in one query."""
    described = Described()
    values = iri_values(iris)
    if not values:
        return described
    query = (
        PREFIXES
        + "SELECT ?x ?key ?v WHERE { VALUES ?x { "
        + values
        + " } { ?x rdfs:label ?v BIND(1 AS ?key) } UNION { ?x skos:prefLabel ?v BIND(2 AS ?key) }"
        " UNION { ?x a ?v BIND(3 AS ?key) } UNION { ?x skos:notation ?v BIND(4 AS ?key) } }"
    )
    preferred: dict[str, dict[str, str]] = {}
    for row in solutions(store.query(query)):
        iri, key, value = row["x"].value, int(row["key"].value), row["v"]
        if key == 3:
            described.kinds.setdefault(iri, set()).add(value.value)
        elif key == 4:
            described.notations.setdefault(iri, value.value)
        elif isinstance(value, Literal):
            target = described.labels if key == 1 else preferred
            target.setdefault(iri, {}).setdefault((value.language or "").lower(), value.value)
    for iri, labels in preferred.items():
        described.labels.setdefault(iri, labels)
    return described


def iris_in(terms: Iterable[Term | None]) -> Iterator[str]:
    for term in terms:
        if isinstance(term, NamedNode):
            yield term.value


def local_href(iri: str, base_iri: str) -> str:
    """Where a browser on this service finds an IRI: records under the base are served here.

    >>> local_href("https://w3id.org/sdgkg/id/goal/13", "https://w3id.org/sdgkg/")
    '/id/goal/13'
    >>> local_href("http://metadata.un.org/sdg/13", "https://w3id.org/sdgkg/")
    'http://metadata.un.org/sdg/13'
    """
    if iri.startswith(base_iri):
        return "/" + iri[len(base_iri) :]
    return iri


def link_target(iri: str, base_iri: str) -> str | None:
    """``local_href`` for http(s) IRIs; None for any other scheme (``javascript:`` included).

    >>> link_target("javascript:alert(1)", "https://w3id.org/sdgkg/") is None
    True
    """
    if not iri.lower().startswith(("http://", "https://")):
        return None
    return local_href(iri, base_iri)
