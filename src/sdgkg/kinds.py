"""The kinds of record the graph holds, counted the same way for the home page and ``sdgkg stats``.

A kind counts the instances of its class and of its subclasses (``rdfs:subClassOf*``), so "Partner"
includes the municipalities and "Organisational unit" the municipal bodies and committees; the
ontology must be in the store.
"""

from __future__ import annotations

from pyoxigraph import QuerySolutions

from sdgkg.store.base import GraphStore

# sdgkg classes, in the order the home page lists them.
RECORD_KINDS = (
    "Partnership",
    "Partner",
    "Municipality",
    "OrganisationalUnit",
    "Initiative",
    "Event",
    "Membership",
    "Person",
    "Post",
    "Place",
    "Topic",
    "Fact",
    "Source",
    "Goal",
    "Target",
    "Indicator",
)


def count_kinds(store: GraphStore, base_iri: str) -> dict[str, int]:
    """Records per kind (class local name -> distinct instances, subclasses included).

    >>> from sdgkg.store.embedded import EmbeddedStore
    >>> count_kinds(EmbeddedStore(None), "https://w3id.org/sdgkg/")["Person"]
    0
    """
    classes = " ".join(f"sdgkg:{name}" for name in RECORD_KINDS)
    query = f"""PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX sdgkg: <{base_iri}ontology#>
SELECT ?class (COUNT(DISTINCT ?record) AS ?n) WHERE {{
  VALUES ?class {{ {classes} }}
  ?record a/rdfs:subClassOf* ?class .
}} GROUP BY ?class"""
    counts = dict.fromkeys(RECORD_KINDS, 0)
    result = store.query(query)
    if not isinstance(result, QuerySolutions):
        raise TypeError("expected a SELECT result")
    for row in result:
        counts[row["class"].value.rsplit("#", 1)[-1]] = int(row["n"].value)
    return counts
