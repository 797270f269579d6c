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


# Issue 20, items 4 to 6: not reached yet; each test states the goal and fails until it is met.
ALIGNMENTS = {
    "partnershipType": "http://www.w3.org/ns/org#classification",
    "runBy": "https://schema.org/organizer",
    "colour": "https://schema.org/color",
    "kommunekode": "http://purl.org/dc/terms/identifier",
    "regionskode": "http://purl.org/dc/terms/identifier",
    "unescoDomain": "http://purl.org/dc/terms/subject",
    "sustainabilityDimension": "http://purl.org/dc/terms/subject",
    "keyFeature": "http://purl.org/dc/terms/subject",
}


@pytest.mark.xfail(
    strict=True,
    reason="issue 20 item 4: invented properties are not yet aligned with standard ones; the "
    "closed shapes' allowed lists must take in the super-properties at the same time",
)
def test_issue_20_invented_properties_are_sub_properties_of_standard_ones() -> None:
    from rdflib import RDFS, URIRef

    ontology = Graph().parse(resources.ontology_file())
    base = "https://w3id.org/sdgkg/ontology#"
    missing = [
        name
        for name, standard in ALIGNMENTS.items()
        if URIRef(standard)
        not in set(ontology.transitive_objects(URIRef(base + name), RDFS.subPropertyOf))
    ]
    assert not missing


@pytest.mark.xfail(
    strict=True,
    reason="issue 20 item 5: no owl:disjointWith axioms yet, and no HermiT run (owlready2 is "
    "not in the test extra)",
)
def test_issue_20_obviously_different_classes_are_disjoint() -> None:
    from rdflib import OWL, URIRef

    ontology = Graph().parse(resources.ontology_file())
    base = "https://w3id.org/sdgkg/ontology#"
    pairs = [("Partnership", "Partner"), ("Goal", "Target"), ("Event", "Policy")]
    for one, other in pairs:
        a, b = URIRef(base + one), URIRef(base + other)
        assert (a, OWL.disjointWith, b) in ontology or (b, OWL.disjointWith, a) in ontology
