"""A DL reasoner (HermiT, through owlready2) on the ontology, its extracts and all bundled data.

Issue 20, items 5 and 6: https://github.com/sdgkg/sdgkg/issues/20. The ontology with the data must
stay consistent with no unsatisfiable class, and the disjointness axioms must catch a record of two
kinds that exclude each other. The profile is OWL 2 DL except for two XSD date types, xsd:gYear and
xsd:gYearMonth, which the OWL 2 datatype map lacks (docs/model.md, "OWL profile"): HermiT runs with
``--ignoreUnsupportedDatatypes``, and a test below proves that ignoring them hides nothing.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import owlready2
import pytest
from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef

SDGKG = "https://w3id.org/sdgkg/ontology#"
ID = "https://w3id.org/sdgkg/id/"
HERMIT_BUDGET_S = 60.0  # CI runs on 2 shared cores; measured 4 s for the bundle alone

# The datatypes of the OWL 2 datatype map that the data uses, and the two it lacks.
OWL2_DATATYPES = {XSD.string, XSD.boolean, XSD.integer, XSD.positiveInteger, XSD.decimal}
OWL2_DATATYPES |= {XSD.date, XSD.dateTime, XSD.anyURI, RDF.langString, RDF.PlainLiteral}
UNSUPPORTED_DATATYPES = {XSD.gYear, XSD.gYearMonth}


@pytest.fixture(scope="module")
def bundle(bundle_graph: object) -> Graph:
    """The ontology, its extracts and every bundled record, as a reasoner sees them."""
    assert isinstance(bundle_graph, Graph)
    return bundle_graph


class Verdict:
    """What HermiT concluded, and how long it took."""

    def __init__(self, consistent: bool, unsatisfiable: list[str], seconds: float) -> None:
        self.consistent = consistent
        self.unsatisfiable = unsatisfiable
        self.seconds = seconds


def run_hermit(graph: Graph, folder: Path) -> Verdict:
    """Write the graph as N-Triples (which owlready2 reads), load it and run HermiT on it."""
    path = folder / "bundle.nt"
    graph.serialize(path, format="nt", encoding="utf-8")
    world = owlready2.World()
    ontology = world.get_ontology(path.as_uri()).load(format="ntriples")
    started = time.monotonic()
    try:
        with ontology:
            owlready2.sync_reasoner_hermit(world, debug=0, ignore_unsupported_datatypes=True)
    except owlready2.OwlReadyInconsistentOntologyError:
        return Verdict(False, [], time.monotonic() - started)
    nothing = "http://www.w3.org/2002/07/owl#Nothing"
    unsatisfiable = sorted({str(c.iri) for c in world.inconsistent_classes()} - {nothing})
    return Verdict(True, unsatisfiable, time.monotonic() - started)


def with_triples(graph: Graph, *triples: tuple[URIRef, URIRef, URIRef]) -> Graph:
    copy = Graph()
    for triple in graph:
        copy.add(triple)
    for triple in triples:
        copy.add(triple)
    return copy


@pytest.mark.slow
def test_bundle_is_consistent_with_no_unsatisfiable_class(bundle: Graph, tmp_path: Path) -> None:
    verdict = run_hermit(bundle, tmp_path)
    assert verdict.consistent
    assert verdict.unsatisfiable == []
    assert verdict.seconds < HERMIT_BUDGET_S, f"HermiT took {verdict.seconds:.1f} s"


def _two_kinds() -> Iterator[tuple[str, str, str]]:
    yield "partnership/soenderborg-gnlc", "Partnership", "Partner"
    yield "goal/13", "Goal", "Target"
    yield "municipality/soenderborg", "Municipality", "Place"
    yield "municipality/soenderborg", "Municipality", "Person"


@pytest.mark.slow
@pytest.mark.parametrize(("record", "kind", "other_kind"), list(_two_kinds()), ids=str)
def test_a_record_of_two_disjoint_kinds_makes_the_data_inconsistent(
    bundle: Graph, tmp_path: Path, record: str, kind: str, other_kind: str
) -> None:
    subject = URIRef(ID + record)
    assert (subject, RDF.type, URIRef(SDGKG + kind)) in bundle
    verdict = run_hermit(
        with_triples(bundle, (subject, RDF.type, URIRef(SDGKG + other_kind))), tmp_path
    )
    assert not verdict.consistent


@pytest.mark.slow
def test_a_class_under_two_disjoint_kinds_is_reported_unsatisfiable(
    bundle: Graph, tmp_path: Path
) -> None:
    """The check above could pass by reporting nothing; here it must name the class."""
    venue_partner = URIRef(SDGKG + "VenuePartner")
    graph = with_triples(
        bundle,
        (venue_partner, RDF.type, URIRef("http://www.w3.org/2002/07/owl#Class")),
        (venue_partner, RDFS.subClassOf, URIRef(SDGKG + "Place")),
        (venue_partner, RDFS.subClassOf, URIRef(SDGKG + "Partner")),
    )
    verdict = run_hermit(graph, tmp_path)
    assert verdict.consistent
    assert verdict.unsatisfiable == [str(venue_partner)]


def test_a_municipality_is_a_place_that_places_lie_in(bundle: Graph) -> None:
    """Item 6: the municipality a place lies in is one resource, a body and an area, never a
    sdgkg:Place; HermiT found the whole bundle consistent with it (the test above)."""
    rows = bundle.query(
        """
        PREFIX schema: <https://schema.org/>
        PREFIX sdgkg: <https://w3id.org/sdgkg/ontology#>
        SELECT ?place ?municipality WHERE {
            ?place a sdgkg:Place ; schema:containedInPlace ?municipality .
            ?municipality a sdgkg:Municipality .
            FILTER NOT EXISTS { ?municipality a sdgkg:Place }
        }
        """
    )
    assert len(rows) >= 3


def test_dates_outside_the_owl2_datatype_map_are_only_year_and_month(bundle: Graph) -> None:
    """The profile: HermiT ignores xsd:gYear and xsd:gYearMonth, and no axiom names them, so the
    reasoner's verdict would be the same with them; any other datatype must be one it knows."""
    used = {o.datatype for o in bundle.objects() if isinstance(o, Literal) and o.datatype}
    assert used - OWL2_DATATYPES <= UNSUPPORTED_DATATYPES, used - OWL2_DATATYPES
    assert used & UNSUPPORTED_DATATYPES  # the profile note in docs/model.md still applies
    for datatype in UNSUPPORTED_DATATYPES:
        axioms = [(s, p) for s, p in bundle.subject_predicates(datatype) if p != RDF.type]
        assert not axioms, f"{datatype} is named by axioms {axioms}: HermiT would ignore them"
    assert not list(bundle.subjects(RDFS.range, XSD.gYear))
