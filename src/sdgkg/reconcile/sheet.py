"""A curator's sheet read as reconciliation reads it: ``sdgkg import`` and the check page resolve
its names with the matching of ``/reconcile``, so a name the service matches imports, and a name
it does not is reported with the candidates OpenRefine would show.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from pyoxigraph import QueryTriples

from sdgkg.csvimport import (
    ImportedRecords,
    KnownRecords,
    NameMatch,
    import_csv,
    validate_imported,
)
from sdgkg.neighbourhood import store_neighbourhood
from sdgkg.reconcile.index import ReconcileIndex, build_index
from sdgkg.reconcile.matching import MATCH_AT, Condition, Query, reconcile
from sdgkg.store.base import GraphStore
from sdgkg.validate import referenced_iris

CANDIDATES = 3
# An IRI's kind segment (as the import names kinds) -> the reconciliation type.
TYPES_BY_KIND = {
    "partner": "Partner",
    "municipality": "Municipality",
    "region": "Region",
    "partnership": "Partnership",
    "initiative": "Initiative",
    "goal": "Goal",
    "target": "Target",
    "indicator": "Indicator",
    "unesco-domain": "UNESCODomain",
    "partnership-type": "PartnershipType",
}


class IndexNameMatcher:
    """Names matched as ``/reconcile`` matches a typed query; a match only when it says so."""

    def __init__(self, index: ReconcileIndex, lang: str = "en") -> None:
        self.index, self.lang = index, lang

    def match(self, text: str, kinds: tuple[str, ...]) -> NameMatch:
        types = tuple(TYPES_BY_KIND[kind] for kind in kinds if kind in TYPES_BY_KIND)
        if not types:  # sources and roles are named by slug or label only
            return NameMatch(None)
        query = Query(types, (Condition("name", (text,)),), limit=CANDIDATES)
        found = reconcile(self.index, query)
        if found and found[0].match:
            return NameMatch(found[0].record.iri)
        candidates = tuple((c.record.iri, c.record.name(self.lang), c.score) for c in found)
        near_certain = [c for c in found if c.score >= MATCH_AT]
        return NameMatch(None, candidates, ambiguous=len(near_certain) > 1)


def known_records(store: GraphStore, base_iri: str) -> KnownRecords:
    """The records a CSV may name, read from the store: typed IRIs with labels and codes.

    Memberships, facts and quotations are left out: no sheet names them.
    """
    ontology = base_iri + "ontology#"
    query = f"""PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX sdgkg: <{ontology}>
CONSTRUCT {{ ?x a ?type . ?x rdfs:label ?label . ?x sdgkg:kommunekode ?code }}
WHERE {{
  ?x a ?type . FILTER(isIRI(?x) && ?type NOT IN (sdgkg:Membership, sdgkg:Fact, sdgkg:Quotation))
  OPTIONAL {{ ?x rdfs:label ?label }}
  OPTIONAL {{ ?x sdgkg:kommunekode ?code }}
}}"""
    result = store.query(query)
    return KnownRecords.from_triples(result if isinstance(result, QueryTriples) else [])


def matching_known(known: KnownRecords, index: ReconcileIndex, lang: str) -> KnownRecords:
    """``known`` with reconciliation's matching for names that no IRI, slug or label gives."""
    return replace(known, matcher=IndexNameMatcher(index, lang))


def import_sheet(path: Path, store: GraphStore, base_iri: str) -> ImportedRecords:
    """Map a sheet with its names resolved against ``store``, and validate the records with the
    store's neighbourhood of what they refer to (as ``sdgkg validate --against-store``)."""
    known = matching_known(known_records(store, base_iri), build_index(store, base_iri), "en")
    records = import_csv(path, known, base_iri)
    context = store_neighbourhood(store, referenced_iris([records.as_parsed()]))
    return validate_imported(records, base_iri, context)
