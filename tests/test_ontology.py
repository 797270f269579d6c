"""The ontology: it conforms to its meta-shapes, and the generated term constants are in sync."""

from __future__ import annotations

import subprocess
import sys

import pyshacl
import pytest
from rdflib import Graph

from sdgkg import resources
from tests.data import REPO_DIR


def test_ontology_conforms_to_its_meta_shapes() -> None:
    ontology = Graph()
    for path in resources.schema_files():
        ontology.parse(path)
    conforms, _, text = pyshacl.validate(
        ontology,
        shacl_graph=Graph().parse(resources.ontology_shapes_file()),
        inference="none",
        advanced=True,
    )
    assert conforms, text


def test_version_iri_names_the_version_and_follows_the_prior_one() -> None:
    """owl:versionIRI ends in owl:versionInfo, and owl:priorVersion is an earlier version."""
    from rdflib import OWL, URIRef

    ontology = Graph().parse(resources.ontology_file())
    header = URIRef("https://w3id.org/sdgkg/ontology")
    version = str(ontology.value(header, OWL.versionInfo))
    assert str(ontology.value(header, OWL.versionIRI)) == f"{header}/{version}"
    prior = str(ontology.value(header, OWL.priorVersion)).rsplit("/", 1)[-1]

    def numbers(text: str) -> tuple[int, ...]:
        return tuple(int(part) for part in text.split("."))

    assert numbers(prior) < numbers(version)


def test_generated_namespace_module_is_in_sync() -> None:
    script = REPO_DIR / "scripts" / "gen_namespaces.py"
    done = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


# Issue 20, item 4: each invented property under its standard counterpart.
ALIGNMENTS = {
    "partnershipType": "http://www.w3.org/ns/org#classification",
    "municipality": "https://schema.org/location",
    "runBy": "https://schema.org/organizer",
    "colour": "https://schema.org/color",
    "kommunekode": "http://purl.org/dc/terms/identifier",
    "regionskode": "http://purl.org/dc/terms/identifier",
    "unescoDomain": "http://purl.org/dc/terms/subject",
    "sustainabilityDimension": "http://purl.org/dc/terms/subject",
    "keyFeature": "http://purl.org/dc/terms/subject",
}
SDGKG = "https://w3id.org/sdgkg/ontology#"
ID = "https://w3id.org/sdgkg/id/"


def test_issue_20_invented_properties_are_sub_properties_of_standard_ones() -> None:
    """https://github.com/sdgkg/sdgkg/issues/20 item 4, and each standard one is in an extract."""
    from rdflib import RDFS, URIRef

    schema = Graph()
    for path in resources.schema_files():
        schema.parse(path)
    missing = [
        f"sdgkg:{name} is not under <{standard}>"
        for name, standard in ALIGNMENTS.items()
        if URIRef(standard)
        not in set(schema.transitive_objects(URIRef(SDGKG + name), RDFS.subPropertyOf))
    ]
    undeclared = [
        f"<{standard}> has no English and Danish label in ontology/imports/"
        for standard in set(ALIGNMENTS.values())
        if {
            getattr(label, "language", None)
            for label in schema.objects(URIRef(standard), RDFS.label)
        }
        < {"en", "da"}
    ]
    assert not missing + undeclared


def _disjoint_pairs(ontology: Graph) -> set[frozenset[object]]:
    """Pairs of disjoint classes, stated by owl:disjointWith or owl:AllDisjointClasses."""
    from itertools import combinations

    from rdflib import OWL, RDF
    from rdflib.collection import Collection

    pairs = {frozenset(pair) for pair in ontology.subject_objects(OWL.disjointWith)}
    for axiom in ontology.subjects(RDF.type, OWL.AllDisjointClasses):
        members = Collection(ontology, ontology.value(axiom, OWL.members))
        pairs |= {frozenset(pair) for pair in combinations(members, 2)}
    return pairs


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Partnership", "Partner"),
        ("Goal", "Target"),
        ("Goal", "Indicator"),
        ("Target", "Indicator"),
        ("Event", "Policy"),
        ("Place", "Partner"),
        ("Person", "Partner"),
        ("Membership", "Partnership"),
        ("Source", "Fact"),
    ],
    ids=lambda name: str(name),
)
def test_issue_20_obviously_different_classes_are_disjoint(one: str, other: str) -> None:
    """https://github.com/sdgkg/sdgkg/issues/20 item 5; HermiT checks them (test_reasoner.py)."""
    from rdflib import URIRef

    ontology = Graph().parse(resources.ontology_file())
    assert frozenset({URIRef(SDGKG + one), URIRef(SDGKG + other)}) in _disjoint_pairs(ontology)


def test_issue_20_place_is_disjoint_with_every_organisation_but_a_municipality_is_an_area() -> None:
    """Item 6: a municipality is a body and an area (schema:AdministrativeArea), no sdgkg:Place."""
    from rdflib import RDFS, URIRef

    schema = Graph()
    for path in resources.schema_files():
        schema.parse(path)
    organization = URIRef("http://www.w3.org/ns/org#Organization")
    assert frozenset({URIRef(SDGKG + "Place"), organization}) in _disjoint_pairs(schema)
    for kind in ("Municipality", "Region"):
        supers = set(schema.transitive_objects(URIRef(SDGKG + kind), RDFS.subClassOf))
        assert {organization, URIRef("https://schema.org/AdministrativeArea")} <= supers
        assert URIRef("https://schema.org/Place") in supers
        assert URIRef(SDGKG + "Place") not in supers


@pytest.mark.slow
def test_issue_20_a_generic_tool_reads_the_graph_through_the_standard_terms() -> None:
    """Item 4: RDFS entailment with the extracts and sdgkg's alignment axioms, no sdgkg terms."""
    import owlrl
    from rdflib import RDFS, URIRef

    graph = Graph()
    for path in [*resources.ontology_import_files(), *resources.reference_data_files()]:
        graph.parse(path)
    for path in resources.curated_data_files():
        graph.parse(path)
    ontology = Graph().parse(resources.ontology_file())
    for axiom in (RDFS.subPropertyOf, RDFS.subClassOf):
        for term, standard in ontology.subject_objects(axiom):
            if not str(standard).startswith(SDGKG):
                graph.add((term, axiom, standard))
    owlrl.DeductiveClosure(owlrl.RDFS_Semantics).expand(graph)

    def count(pattern: str) -> int:
        rows = graph.query(
            "PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX org: <http://www.w3.org/ns/org#>"
            " PREFIX schema: <https://schema.org/>"
            f" PREFIX municipality: <{ID}municipality/> PREFIX region: <{ID}region/>"
            f" PREFIX unesco-domain: <{ID}unesco-domain/>"
            f" SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}"
        )
        return int(next(iter(rows))[0])  # type: ignore[index]

    assert count("?partnership org:classification ?type . ?type a org:Role") == 0
    assert count("?partnership a org:Organization ; org:classification ?type") > 0
    assert count("?record dcterms:subject unesco-domain:education") > 10
    assert count("?record schema:location municipality:soenderborg") > 10
    assert count("?initiative schema:organizer ?partner . ?partner a schema:Organization") > 0
    assert count('municipality:soenderborg dcterms:identifier "540"') == 1
    assert count('region:region-syddanmark dcterms:identifier "1083"') == 1
    assert count("?place schema:containedInPlace ?area . ?area a schema:AdministrativeArea") > 0
    assert (URIRef(SDGKG + "municipality"), RDFS.label, None) not in graph  # no sdgkg definitions
